"""docker-compose.yml, deploy/nginx.conf and the settings agree on how stored files leave (docs/files.md).

Django answers a download with `X-Accel-Redirect: SENDFILE_URL/<path under
MEDIA_ROOT>`; nginx must have that prefix as an `internal` location aliasing the
volume web writes MEDIA_ROOT into, and no public location for the media folder.
The machines this is tested on have no Docker engine: the files are read, not run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# The config without its comments, which talk about locations too.
NGINX = re.sub(r"#[^\n]*", "", (ROOT / "deploy" / "nginx.conf").read_text())


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return services


def _locations(conf: str) -> dict[str, str]:
    """Each `location PREFIX { … }` of the config, by prefix (the blocks here hold no nested braces)."""
    return dict(re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", conf))


def _volume(service: dict[str, Any], source: str) -> str:
    (mount,) = [volume for volume in service["volumes"] if volume.split(":")[0] == source]
    return mount


def test_the_internal_location_is_the_sendfile_url_and_serves_the_media_volume(compose):
    locations = _locations(NGINX)
    block = locations[settings.SENDFILE_URL.rstrip("/") + "/"]
    assert re.search(r"^\s*internal;", block, re.M)
    alias = re.search(r"alias\s+(\S+);", block).group(1)
    # proxy mounts the volume web writes MEDIA_ROOT into, read-only, where the alias points.
    web_media = _volume(compose["web"], "media").split(":")[1]
    assert web_media == compose["web"]["environment"]["MEDIA_ROOT"]
    assert _volume(compose["proxy"], "media") == f"media:{alias.rstrip('/')}:ro"


def _servers(conf: str) -> list[str]:
    """The text of each top-level `server { … }` block."""
    blocks, depth, start = [], 0, None
    for match in re.finditer(r"\bserver\s*\{|\{|\}", conf):
        token = match.group(0)
        if token.startswith("server") and depth == 0:
            start, depth = match.end(), 1
        elif token == "{":
            depth += depth > 0
        elif depth:
            depth -= 1
            if depth == 0:
                blocks.append(conf[start : match.start()])
    return blocks


def test_no_location_serves_the_media_folder_in_public(compose):
    public = {prefix for prefix, block in _locations(NGINX).items() if "internal;" not in block}
    assert public == {"/", "/" + settings.STATIC_URL.strip("/") + "/"}
    assert "proxy_pass http://parplan_web;" in _locations(NGINX)["/"]
    # Two aliases: the internal files and the static files; no root gives the server a folder to serve.
    assert len(re.findall(r"^\s*alias\s", NGINX, re.M)) == 2
    assert not re.search(r"^\s*root\s", NGINX, re.M)


def test_nginx_sends_the_static_files_web_collected(compose):
    block = _locations(NGINX)["/" + settings.STATIC_URL.strip("/") + "/"]
    alias = re.search(r"alias\s+(\S+);", block).group(1)
    assert _volume(compose["proxy"], "static") == f"static:{alias.rstrip('/')}:ro"
    # web writes STATIC_ROOT (/app/var/staticfiles in the image, where collectstatic runs) into that volume.
    assert _volume(compose["web"], "static") == "static:/app/var/staticfiles"
    assert "collectstatic" in " ".join(compose["web"]["command"])


def test_plain_http_only_redirects_to_https():
    plain, tls = _servers(NGINX)
    assert re.search(r"listen\s+80;", plain)
    assert "return 301 https://$host$request_uri;" in plain
    assert "location" not in plain and "proxy_pass" not in plain
    assert re.search(r"listen\s+443\s+ssl;", tls)


def test_tls_ends_at_nginx_with_the_mounted_certificate(compose):
    _, tls = _servers(NGINX)
    certs = _volume(compose["proxy"], "./deploy/certs")
    assert certs == "./deploy/certs:/etc/nginx/certs:ro"
    assert "ssl_certificate /etc/nginx/certs/fullchain.pem;" in tls
    assert "ssl_certificate_key /etc/nginx/certs/privkey.pem;" in tls
    protocols = re.search(r"ssl_protocols([^;]*);", tls).group(1).split()
    assert protocols == ["TLSv1.2", "TLSv1.3"]
    # The key stays out of git.
    assert (ROOT / "deploy" / "certs" / ".gitignore").read_text().splitlines()[1] == "*"


def test_the_forwarded_scheme_comes_from_nginx_never_from_the_browser():
    # Before: a browser's own X-Forwarded-Proto header went through (map $http_x_forwarded_proto).
    assert "$http_x_forwarded_proto" not in NGINX
    assert re.findall(r"proxy_set_header\s+X-Forwarded-Proto\s+(\S+);", NGINX) == ["$scheme"]


def test_every_service_restarts_and_redis_keeps_its_queue(compose):
    for name, service in compose.items():
        assert service.get("restart") == "unless-stopped", name
    assert {"web", "worker", "beat", "proxy", "postgres", "redis"} <= set(compose)
    command = compose["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert _volume(compose["redis"], "redis-data") == "redis-data:/data"


def test_web_and_worker_report_their_health_with_the_healthz_checks(compose):
    assert compose["web"]["healthcheck"]["test"][:4] == ["CMD", "python", "manage.py", "healthcheck"]
    assert compose["worker"]["healthcheck"]["test"] == ["CMD", "python", "manage.py", "healthcheck", "--only", "worker"]
    assert compose["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_only_nginx_is_published_and_it_carries_the_config(compose):
    assert "ports" not in compose["web"]
    assert compose["proxy"]["ports"] == ["${PARPLAN_HTTP_PORT:-80}:80", "${PARPLAN_HTTPS_PORT:-443}:443"]
    assert _volume(compose["proxy"], "./deploy/nginx.conf") == "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"
    assert re.search(r"server\s+web:8000;", NGINX)
    for name in ("worker", "beat", "postgres", "redis"):
        assert "ports" not in compose[name], name
