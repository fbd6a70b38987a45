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


def test_no_location_serves_the_media_folder_in_public(compose):
    public = {prefix for prefix, block in _locations(NGINX).items() if "internal;" not in block}
    assert public == {"/"}
    assert "proxy_pass http://parplan_web;" in _locations(NGINX)["/"]
    # The one alias is the internal location's; no root gives the server a folder to serve.
    assert len(re.findall(r"^\s*alias\s", NGINX, re.M)) == 1
    assert not re.search(r"^\s*root\s", NGINX, re.M)


def test_only_nginx_is_published_and_it_carries_the_config(compose):
    assert "ports" not in compose["web"]
    assert compose["proxy"]["ports"] == ["${PARPLAN_HTTP_PORT:-8000}:80"]
    assert _volume(compose["proxy"], "./deploy/nginx.conf") == "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"
    assert re.search(r"server\s+web:8000;", NGINX)
