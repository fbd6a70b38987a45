"""Error pages in the portal's own layout, in the person's language, with a way back.

Django's defaults are bare English pages; these keep the header and navigation
so a person who hit a wall can go on. Nothing here shows a traceback or the URL
patterns (that is DEBUG's page, never on in production).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _render(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    template = loader.get_template("errors/error.html")
    context = {"status": status, "error_title": title, "error_text": text}
    return HttpResponse(template.render(context, request), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django's own limits on what a request may send stop it before any form sees it.
    if isinstance(exception, TooManyFilesSent):
        text = _(
            "Gửi quá nhiều tệp trong một lần: mỗi lần tối đa %(limit)d tệp. Xin quay lại và chia ra nhiều lần gửi."
        ) % {"limit": settings.PARPLAN_MAX_FILES_PER_UPLOAD}
        return _render(request, 400, _("Quá nhiều tệp"), text)
    if isinstance(exception, RequestDataTooBig):
        text = _(
            "Dữ liệu gửi lên quá lớn: các tệp gửi một lần tối đa %(total)d MB cộng lại, mỗi tệp tối đa "
            "%(file)d MB. Xin quay lại và gửi ít tệp hơn hoặc tệp nhỏ hơn."
        ) % {"total": settings.PARPLAN_MAX_REQUEST_UPLOAD_MB, "file": settings.PARPLAN_MAX_UPLOAD_MB}
        return _render(request, 400, _("Dữ liệu gửi lên quá lớn"), text)
    return _render(
        request,
        400,
        _("Yêu cầu không hợp lệ"),
        _("Máy chủ không hiểu yêu cầu này (địa chỉ hoặc dữ liệu gửi lên không hợp lệ)."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # An access check may say which right is missing; otherwise a plain sentence.
    reason = str(exception) if exception is not None and str(exception) else ""
    text = reason or _("Tài khoản của bạn không có quyền thực hiện việc này. Nếu cần, xin liên hệ Phòng Nội vụ.")
    return _render(request, 403, _("Không có quyền truy cập"), text)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request, 404, _("Không tìm thấy trang"),
        _("Trang bạn tìm không có hoặc bạn không được xem. Xin kiểm tra lại địa chỉ."),
    )  # fmt: skip


def server_error(request: HttpRequest) -> HttpResponse:
    title = _("Lỗi hệ thống")
    text = _(
        "Hệ thống gặp sự cố và chưa thực hiện được yêu cầu. "
        "Xin thử lại sau ít phút; nếu vẫn lỗi, xin báo quản trị hệ thống."
    )
    try:
        return _render(request, 500, title, text)
    except Exception:
        logger.exception("The 500 page itself could not be rendered")
        # A bare page that needs neither templates nor the database (translations are files).
        bare = format_html(
            '<!doctype html><html lang="{}"><meta charset="utf-8"><title>{} · ParPlan</title>'
            '<h1>{}</h1><p>{}</p><p><a href="/">{}</a></p></html>',
            get_language(), title, title, text, _("Về trang chủ"),
        )  # fmt: skip
        return HttpResponse(bare, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(
        request, 403, _("Phiên làm việc đã hết hạn"),
        _(
            "Biểu mẫu đã cũ hoặc phiên đăng nhập đã thay đổi, nên yêu cầu không được thực hiện. "
            "Xin quay lại, tải lại trang và gửi lại."
        ),
    )  # fmt: skip


class MethodNotAllowedPageMiddleware:
    """A 405 (an action's address opened as a page, a form's address typed in) in the portal's layout.

    Django's `require_POST` answers with an empty body, which a browser shows as a blank page.
    The Allow header stays as the view set it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = _render(
            request, 405, _("Không mở được địa chỉ này"),
            _("Địa chỉ này là một thao tác (gửi, duyệt, xác nhận…), chỉ thực hiện được bằng nút trên trang. "
              "Xin quay lại trang trước và dùng nút đó."),
        )  # fmt: skip
        if allow := response.get("Allow"):
            page["Allow"] = allow
        return page
