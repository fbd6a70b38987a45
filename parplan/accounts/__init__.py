"""Signing in: sessions with an idle limit and a lifetime, a password an administrator set
that its owner must replace, the account page ("log out everywhere"), the password
pages, and the lockout page of django-axes. docs/access.md, "Đăng nhập và phiên".
"""
