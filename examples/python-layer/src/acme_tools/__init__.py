"""acme_tools: helpers shared by ACME's Lambda functions, shipped as the layer `acme-tools`.

In a function that has the layer: `from acme_tools import user_agent`.
"""

import requests

__version__ = "1.0.0"


def user_agent() -> str:
    return f"acme-tools/{__version__} requests/{requests.__version__}"
