"""A tiny Python package shipped as a Lambda layer by the lambda-layer-release demo."""

GREETINGS = {"en": "Hello", "fr": "Bonjour", "de": "Hallo"}


def greet(name: str, language: str = "en") -> str:
    return f"{GREETINGS.get(language, GREETINGS['en'])}, {name}!"
