"""The certificate (合格证书) of a passed exam as an A4 landscape PDF (WeasyPrint, CJK fonts)."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from dangwu.documents.printing import chinese_date
from dangwu.exams.models import Certificate
from dangwu.exams.selectors import score_as_text

CSS_PATH = "exams/certificate.css"


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return the certificate as a one-page PDF."""
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # ships no type hints

    attempt = certificate.attempt
    member = getattr(attempt.user, "member", None)
    html = render_to_string(
        "exams/certificate_pdf.html",
        {
            "certificate": certificate,
            "name": member.name if member else attempt.user.label,
            "exam": attempt.exam,
            "score": score_as_text(attempt.score),
            "total": attempt.total_points,
            "issuer": attempt.exam.organization.name if attempt.exam.organization else "",
            "date": chinese_date(certificate.issued_at),
        },
    )
    css_file = finders.find(CSS_PATH)
    return bytes(HTML(string=html).write_pdf(stylesheets=[CSS(filename=css_file)]))
