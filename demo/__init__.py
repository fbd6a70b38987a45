"""The demo data set (manage.py demo): development and tests only, not installed in production."""
