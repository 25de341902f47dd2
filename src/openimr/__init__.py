"""OpenIMR: California workers' compensation Independent Medical Review, as software."""

__version__ = "0.1.0"
