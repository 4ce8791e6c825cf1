from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangwu import access
from dangwu.audit import permissions as perms
from dangwu.audit.forms import AuditFilterForm
from dangwu.audit.models import AuditRecord
from dangwu.audit.selectors import audit_records
from dangwu.audit.services import audit_export

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def audit_list(request):
    """The audit trail with filters; only the audit administrator."""
    access.require(request.user, perms.AUDIT_VIEW)
    form = AuditFilterForm(request.GET)
    records = audit_records(form.filters()) if form.is_valid() else AuditRecord.objects.none()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page})


@login_required
@require_GET
def audit_export_xlsx(request):
    """The filtered audit trail as an Excel file (the export is itself audited)."""
    access.require(request.user, perms.AUDIT_VIEW)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/list.html", {"form": form, "page": None}, status=400)
    content = audit_export(actor=request.user, filters=form.filters())
    response = HttpResponse(content, content_type=XLSX)
    filename = f"audit-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
