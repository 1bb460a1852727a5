"""newsroom.rawhtml: the check reports what the sanitiser would remove, with its line."""

import pytest

from newsroom.problems import Findings
from newsroom.rawhtml import check_raw_html
from newsroom.safehtml import plain_text, sanitise, sanitise_title


def problems(body):
    found = Findings("post.md")
    check_raw_html(body.split("\n"), 10, found)
    return [(p.line, p.message) for p in found]


@pytest.mark.parametrize("body, expected", [
    ('Read *this*{: onclick="x()" } now.', [
        (10, '`onclick=` in the attribute list `{: onclick="x()" }` is not allowed (it runs '
             "code in readers' browsers); remove it")]),
    ('A paragraph.\n{: style="color:red" .big }', [
        (11, '`style=` in the attribute list `{: style="color:red" .big }` is not allowed (the '
             "site's stylesheet decides how text looks); remove it"),
        (11, 'class `big` in the attribute list `{: style="color:red" .big }` is not one the '
             "site uses; remove the { }")]),
    ("## Pay offer {: #pay }", []),                  # a heading anchor is kept
    ("Link [here]({filename}../pages/contact.md) and {braces}.", []),
    ("![Chart](https://other.example/chart.png)", [
        (10, "an image from another site (https://other.example/chart.png) is not shown: the "
             "site's security policy shows only its own images, and loading it would tell "
             "that site who reads the post; save the picture in content/images/ and write "
             "![what it shows]({static}/images/name.jpg)")]),
    ('<img src="//cdn.example/x.png" alt="x">', [
        (10, "an image from another site (//cdn.example/x.png) is not shown: the site's "
             "security policy shows only its own images, and loading it would tell that site "
             "who reads the post; save the picture in content/images/ and write "
             "![what it shows]({static}/images/name.jpg)")]),
    ("![Chart]({static}/images/chart.png)", []),
    ("`*x*{: onclick=y }` in code", []),           # code is never checked
])
def test_check_raw_html(body, expected):
    assert problems(body) == expected


def test_sanitise_removes_images_from_other_hosts_and_markup_in_alt_text():
    html = ('<p><img src="https://other.example/x.png" alt="x">'
            '<img src="/images/a.png" alt="&lt;b&gt;A&lt;/b&gt; chart"></p>')
    assert sanitise(html) == '<p><img alt="x"><img src="/images/a.png" alt="A chart"></p>'


def test_titles_keep_typogrify_spans_only_and_labels_become_text():
    title = 'The <span class="caps">PFEW</span> <b>offer</b><script>x()</script>'
    assert sanitise_title(title) == 'The <span class="caps">PFEW</span> offer'
    assert plain_text("Pay &amp; <svg onload=x()>conditions</svg> <i>now</i>") == "Pay &  now"


def test_server_code_and_cdata_are_reported_not_dropped_silently():
    assert problems("PHP <?php echo 1; ?> here.\n\n<![CDATA[<script>x()</script>]]>") == [
        (10, "`<?...?>` (code for a server) is not shown to readers; remove it, or put it in "
             "`code` to show it"),
        (12, "`<![CDATA[...]]>` is not shown to readers; remove it, or put it in `code` to "
             "show it")]
