"""Prescription settings, mixed into the clinical service's settings (prefix ``CLINICAL_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["PrescriptionSettings"]


class PrescriptionSettings(BaseSettings):
    """``CLINICAL_PRESCRIPTION_KEY_PATH``, ``CLINICAL_PRESCRIPTION_KEY_PASSPHRASE``, ``..._PDF_FONT``.

    The clinical service's settings class inherits these fields; its ``env_prefix`` applies.
    """

    model_config = SettingsConfigDict(env_prefix="CLINICAL_", extra="ignore", frozen=True)

    # None: ``<HEALTHGRAPH_DATA_DIR>/keys/clinical-prescriptions.pem`` (mode 0600, directory 0700)
    prescription_key_path: Path | None = None
    prescription_key_passphrase: SecretStr | None = None
    # A TrueType font with wide Unicode coverage for names on printed prescriptions; when the
    # file is missing, the PDF falls back to a core font and transliterates.
    prescription_pdf_font: Path | None = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

    def prescription_key_file(self, data_dir: Path) -> Path:
        """The configured key path, or ``keys/clinical-prescriptions.pem`` under ``data_dir``."""
        return self.prescription_key_path or data_dir / "keys" / "clinical-prescriptions.pem"
