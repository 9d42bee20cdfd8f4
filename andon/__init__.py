"""andon: shop-floor andon and production-progress terminal."""

__version__ = "0.1.0"
