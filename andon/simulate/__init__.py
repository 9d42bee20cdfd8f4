"""``andon simulate``: a scripted shift on the simulated hardware, at full speed.

A scenario file (:mod:`andon.simulate.scenario`) says what happens at the line
and when; :mod:`andon.simulate.runner` plays it on real simulated stations (the
``hal`` devices over mock pins, the station core, its journal) on a simulated
clock; :mod:`andon.simulate.report` turns what the stations recorded into the
shift report that :mod:`andon.simulate.render` prints.
"""
