"""Where a command runs: ``AMERICANO_ENV`` = development (default), staging or production."""

import os

from americano.core.errors import InputError, RefusedError

ENVIRONMENTS = ("development", "staging", "production")


def current_environment() -> str:
    """The value of ``AMERICANO_ENV``, checked."""
    value = os.environ.get("AMERICANO_ENV", "development").strip().lower() or "development"
    if value not in ENVIRONMENTS:
        raise InputError(f"AMERICANO_ENV must be one of {', '.join(ENVIRONMENTS)}, not {value!r}")
    return value


def refuse_in_production(action: str, allowed: bool, flag: str = "--allow-production") -> None:
    """Stop a destructive ``action`` in production unless the operator passed ``flag``."""
    if current_environment() == "production" and not allowed:
        raise RefusedError(
            f"refusing to {action}: AMERICANO_ENV is production (pass {flag} if you mean it)"
        )
