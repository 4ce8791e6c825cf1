from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from dangwu import access
from dangwu.audit import permissions as perms
from dangwu.audit.models import AuditRecord


@login_required
def audit_list(request):
    access.require(request.user, perms.AUDIT_VIEW)
    page = Paginator(AuditRecord.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page})
