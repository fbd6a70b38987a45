# ParPlan production image: one image for web (gunicorn), Celery worker and beat.
# See docker-compose.yml and README.md ("Production").

# The message catalogues (locale/*/LC_MESSAGES/*.po), compiled by GNU gettext's msgfmt
# in a stage of their own, as `scripts/messages.py compile` does: the .mo files are not
# in git, and the image itself needs no gettext.
FROM python:3.11-slim-bookworm AS messages
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY locale /locale
RUN for po in /locale/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "${po%.po}.mo" "$po" || exit 1; done

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PARPLAN_MODE=production

# WeasyPrint (PDF reports) needs Pango/HarfBuzz; the reports use Liberation fonts.
# postgresql-client: pg_dump and pg_restore for `manage.py backup` / `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (cached while the lock is unchanged): the runtime lock, with
# its hashes, as `make run` installs it (requirements/base.txt, written by make lock).
COPY requirements/base.txt /tmp/requirements.txt
RUN pip install --require-hashes -r /tmp/requirements.txt && rm /tmp/requirements.txt

RUN useradd --system --create-home --home-dir /home/parplan --uid 1000 parplan
WORKDIR /app
COPY . /app
COPY --from=messages /locale /app/locale
# var/ holds media (a volume), static files and the beat schedule: writable by parplan,
# while the code stays root's.
RUN mkdir -p /app/var/media /app/var/staticfiles /app/var/backups && chown -R parplan:parplan /app/var
USER parplan
# Static files are collected into the image too, so worker and beat (which may render
# templates) find the manifest; the web service collects again when it starts. The key
# below exists only for this build step (production mode refuses to start without one).
RUN SECRET_KEY=collectstatic-at-build-time-only-not-a-real-secret-key-0123456789 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput -v0

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-k", "gthread", "--workers", "2", "--threads", "4", "-b", "0.0.0.0:8000"]
