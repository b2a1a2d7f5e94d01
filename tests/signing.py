"""Returning a form as an organisation would, for tests: filled in a viewer (pypdf), signed with a
self-signed certificate made in the test (pyHanko)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pypdf import PdfWriter
from pypdf.generic import NameObject

if TYPE_CHECKING:
    from pyhanko.sign.fields import MDPPerm


def make_certificate(folder: Path, name: str = "Siân Ŵyn") -> tuple[Path, Path]:
    """A self-signed certificate and its key, made in the test; the key stays in tmp."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Riverside Trust")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "signer.pem", folder / "signer-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def sign_pdf(source: Path, target: Path, cert: Path, key: Path, field: str = "signature",
             font: Path | None = None, certify: MDPPerm | None = None) -> None:
    """Sign with pyHanko; its visible stamp is drawn in `font` (embedded) when given, else in a standard
    font it does not embed, as pyHanko does by default. `certify` makes it a certification signature
    allowing only those changes after it (DocMDP)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm

    style = None
    if font is not None:
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
        from pyhanko.pdf_utils.text import TextBoxStyle
        from pyhanko.stamp import TextStampStyle

        style = TextStampStyle(text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font))))
    signer = signers.SimpleSigner.load(str(key), str(cert))
    with source.open("rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        with target.open("wb") as out:
            meta = signers.PdfSignatureMetadata(field_name=field, certify=certify is not None,
                                                docmdp_permissions=certify or MDPPerm.FILL_FORMS)
            signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(writer, output=out)


def fill_pdf(source: Path, target: Path, values: dict[str, str], ticks: list[str]) -> None:
    """Fill text fields and tick boxes as a viewer would save them, with pypdf."""
    writer = PdfWriter(clone_from=str(source))
    writer.update_page_form_field_values(None, values, auto_regenerate=False)  # every page
    widgets = [a.get_object() for page in writer.pages for a in page.get("/Annots", [])]
    for widget in widgets:
        if widget.get("/T") in ticks:
            on = next(k for k in widget["/AP"]["/N"] if k != "/Off")
            widget[NameObject("/V")] = NameObject(on)
            widget[NameObject("/AS")] = NameObject(on)
    with target.open("wb") as handle:
        writer.write(handle)
