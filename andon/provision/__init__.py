"""Provisioning a plant's MQTT security from its configuration files.

``andon provision`` reads the plant file and its members (stations, boards,
store boards) and writes, into one output directory:

* ``broker/``: what the broker host needs: the Mosquitto configuration
  (``andon.conf``), the hashed password file, the ACL file and, with TLS, the
  server certificate and the CA certificate;
* ``clients/<username>/``: one bundle per client: its password (mode 0600), a
  copy of the plant file whose ``[broker]`` table names that client, its
  configuration file and, with TLS, the CA certificate;
* ``tls/``: the CA's private key (keep it off the devices).

Modules: :mod:`~andon.provision.clients` (who connects),
:mod:`~andon.provision.acl` (what each may do), :mod:`~andon.provision.passwords`,
:mod:`~andon.provision.mosquitto_conf`, :mod:`~andon.provision.tls`,
:mod:`~andon.provision.plant_copy` and :mod:`~andon.provision.bundle`, which
puts them together.
"""
