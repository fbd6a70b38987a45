"""Set someone's password as an administrator: they must choose their own at their next login.

    manage.py account_set_password USERNAME             # asks for the password twice
    manage.py account_set_password USERNAME --generate  # prints a random temporary one

Django's own `changepassword` is for a person's own password: it asks nothing of them afterwards.
"""

from __future__ import annotations

import getpass
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parplan.accounts.services import account_password_set_by_administrator


class Command(BaseCommand):
    help = "Đặt mật khẩu tạm cho một tài khoản; người dùng phải đổi mật khẩu ở lần đăng nhập sau."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--generate", action="store_true", help="Tạo và in ra một mật khẩu tạm ngẫu nhiên.")

    def handle(self, *args: Any, username: str, generate: bool, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản '{username}'.")
        password = secrets.token_urlsafe(12) if generate else self._ask()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        account_password_set_by_administrator(user=user, password=password)
        if generate:
            self.stdout.write(password)
        self.stderr.write(f"Đã đặt mật khẩu tạm cho '{username}'; người dùng phải đổi ở lần đăng nhập sau.")

    def _ask(self) -> str:
        password = getpass.getpass("Mật khẩu tạm: ")
        if password != getpass.getpass("Nhập lại: "):
            raise CommandError("Hai lần nhập không khớp.")
        return password
