"""The independent validator (page-validation, the optional `briefgen[validate]` extra): which
rules a PDF fails, by id. briefgen's own checks never have the last word on conformance."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable


def validator_installed() -> bool:
    return importlib.util.find_spec("page") is not None


def validator_failures(data: bytes, profiles: Iterable[str]) -> list[str]:
    """Each failed rule as `PROFILE RULE-ID: message`; empty when none (or no validator)."""
    if not validator_installed():
        return []
    import page  # a Rust extension; imported only when something is to be checked

    found: list[str] = []
    for profile in profiles:
        report = page.validate_pdf_bytes(data, profile=profile)
        for failure in report.failures:
            found.append(f"{_label(profile)} {failure.rule_id}: {failure.message}")
    return found


def _label(profile: str) -> str:
    return "PDF/UA-1" if profile == "ua1" else f"PDF/A-{profile}"
