"""kdsite: a static-site generator for an interactive explainer of knowledge distillation."""

__version__ = "0.1.0"
