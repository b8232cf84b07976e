"""ft-sandbox: a faithful local simulation of the France Travail partner API platform."""

from sandbox.app import create_app
from sandbox.settings import Settings

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "create_app"]
