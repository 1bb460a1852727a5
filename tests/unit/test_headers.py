"""newsroom.headers: the security headers are deploy/nginx.conf's, read, not repeated."""

import re

import pytest

from conftest import ROOT
from newsroom.headers import (CONTENT_TYPES, content_type, preview_headers, script_hash,
                              security_headers)


def test_security_headers_are_the_always_lines_of_nginx_conf():
    conf = (ROOT / "deploy/nginx.conf").read_text()
    lines = re.findall(r"^\s*add_header (\S+) .* always;", conf, re.M)
    headers = security_headers()
    assert sorted(headers) == sorted(lines) and "Cache-Control" not in headers
    csp = headers["Content-Security-Policy"]
    assert f'add_header Content-Security-Policy "{csp}" always;' in conf
    assert headers["X-Frame-Options"] == "DENY"


def test_preview_adds_only_the_hash_of_the_injected_script():
    live, preview = security_headers(), preview_headers("alert(1)")
    assert {k: v for k, v in preview.items() if k != "Content-Security-Policy"} == {
        k: v for k, v in live.items() if k != "Content-Security-Policy"}
    added = preview["Content-Security-Policy"].replace(" " + script_hash("alert(1)"), "", 1)
    assert added == live["Content-Security-Policy"]
    # RFC 4648 base64 of SHA-256("alert(1)"), as the CSP Level 3 spec's examples compute it
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_a_config_without_csp_is_refused(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text('add_header X-Frame-Options DENY always;\n')
    with pytest.raises(ValueError, match="Content-Security-Policy"):
        security_headers(conf)


def test_content_types_are_nginx_conf_type_locations():
    conf = (ROOT / "deploy/nginx.conf").read_text()
    found = dict(re.findall(r"^\s*location ~ (\S+)\$ \{\s*types \{ \}\s*default_type (\S+);",
                            conf, re.M))
    assert found == {re.escape(ending): media_type
                     for ending, media_type in CONTENT_TYPES.items()}
    assert content_type("/feeds/tag/pay.rss.xml") == "application/rss+xml"
    assert content_type("/site.webmanifest") == "application/manifest+json"
    assert content_type("/sitemap.xml") is None
