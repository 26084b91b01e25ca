"""``manage.py print_settings``: django-extensions', with every secret masked.

Theirs prints ``DATABASES`` with the password and ``SECRET_KEY`` as they are;
a settings dump pasted into a ticket must not carry them.
"""

import contextlib
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from django.conf import UserSettingsHolder, settings
from django_extensions.management.commands import print_settings

from americano.db.config import redact_url
from americano.management.base import CommandLineContract

MASK = "***"
#: Setting and option names whose values are secrets.
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|PASSPHRASE|PRIVATE|API_?KEY", re.IGNORECASE)


def masked(value: Any, name: str = "") -> Any:
    """``value`` with secrets replaced: by name (``PASSWORD``, ``SECRET_KEY``, ...) and, in
    any text, the password of a URL; paths as text."""
    if name and SECRET_NAME.search(name) and value:
        return MASK
    if isinstance(value, dict):
        return {key: masked(item, str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(masked(item) for item in value)
    if isinstance(value, str) and "://" in value:
        return redact_url(value)
    if isinstance(value, PurePath):
        return str(value)  # so that --format json can write it (theirs fails on a Path)
    return value


@contextlib.contextmanager
def settings_without_secrets() -> Iterator[None]:
    """Within the block, ``django.conf.settings`` reads masked values (no signal is sent:
    nothing reconnects, only this command reads them)."""
    holder = UserSettingsHolder(settings._wrapped)
    for name in dir(settings):
        if name.isupper():
            value = getattr(settings, name)
            hidden = masked(value, name)
            if hidden != value:
                setattr(holder, name, hidden)
    original, settings._wrapped = settings._wrapped, holder
    try:
        yield
    finally:
        settings._wrapped = original


class Command(CommandLineContract, print_settings.Command):
    help = "Print the active Django settings, with passwords and secret keys masked."

    def handle(self, *args, **options):
        with settings_without_secrets():
            return super().handle(*args, **options)
