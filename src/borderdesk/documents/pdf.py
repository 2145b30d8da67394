"""PDF export through LibreOffice (soffice --headless), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from borderdesk.core.errors import ApplicationError


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(data: bytes, *, timeout: int = 120) -> bytes:
    exe = soffice_path()
    if exe is None:
        raise ApplicationError(
            _(
                "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF. Hãy tải tệp .docx, hoặc "
                "nhờ quản trị cài gói libreoffice-writer."
            ),
            code="no_libreoffice",
        )
    with tempfile.TemporaryDirectory(prefix="borderdesk-pdf-") as tmp:
        src = Path(tmp) / "baocao.docx"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise ApplicationError(
                _("LibreOffice không chuyển được tệp sang PDF: %s") % exc, code="pdf_failed"
            ) from None
        out = Path(tmp) / "baocao.pdf"
        if not out.exists():
            raise ApplicationError(_("LibreOffice không tạo ra tệp PDF."), code="pdf_failed")
        return out.read_bytes()
