from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """No models: installed for its templates (findings marked, the Separating Safely
    warning) so every app's pages show them the same way."""

    name = "cma.privacy"
    label = "privacy"
    verbose_name = "Privacy guard"
