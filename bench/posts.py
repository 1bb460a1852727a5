"""Seeded synthetic posts, written three ways from the same records.

- `write_site`: our format (YAML front matter between `---` lines, `content/news/`), plus
  the real pages, images and favicon of content/, and small real JPEG hero images made with
  Pillow;
- `write_bare`: the same posts and pages with Pelican's native Markdown metadata (`Key:
  value` lines, read by Python-Markdown's meta extension inside Pelican's reader), for bare
  Pelican; the same bodies, `{filename}` links included;
- `write_hugo`: the same posts with YAML front matter for Hugo, `{filename}` links as Hugo
  `ref` shortcodes.

A share of posts (`SHARE`) has a hero image, a `related:` list and a `{filename}` link to an
older post; with `every=True` every post has a hero and `related:` (the "CPU per post flat"
row). Posts are about 600 words (headings, a list, a quote, links), dated one day apart
backwards from `START`, so all are published.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import random
import re
import shutil
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SHARE = 0.3
START = datetime.datetime(2026, 11, 1, 9, 0)
WORDS = (
    "officer officers federation branch pay award welfare support investigation investigators "
    "inspection report body-worn video camera evidence training course rep reps conference "
    "members survey workload rest days overtime allowance pension health wellbeing fund "
    "counselling helpline family assault campaign emergency workers court custody response "
    "neighbourhood patrol sergeant inspector constable chair secretary committee meeting "
    "government review body recommendation inflation cost living morale recruitment retention "
    "the a of to and in for on with that this was were has have is are said will would "
    "national local county force community public safety standards conduct misconduct "
    "recognition bravery award ceremony long service retirement volunteers charity partnership"
).split()
CATEGORIES = ["News", "Pay", "Welfare", "Awards", "Events", "Campaigns"]
LINK_RE = re.compile(r"\{filename\}([^)\s]+\.md)")


@dataclasses.dataclass
class Post:
    """One generated post: `n` (0 is the newest), its file name, slug, date and fields."""

    n: int
    date: datetime.datetime
    title: str
    category: str
    tags: list[str]
    summary: str
    body: str
    hero: str | None = None
    related: list[str] = dataclasses.field(default_factory=list)

    @property
    def slug(self) -> str:
        return f"post-{self.n}"

    @property
    def filename(self) -> str:
        return f"{self.date:%Y-%m-%d}-{self.slug}.md"

    @property
    def url(self) -> str:
        """The article's address in our site (pelicanconf.py's ARTICLE_URL)."""
        return f"news/{self.date:%Y}/{self.date:%m}/{self.slug}/"


def sentence(rng: random.Random, low: int = 12, high: int = 22) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def body_text(rng: random.Random, n: int, link: str | None) -> str:
    """About 600 words of Markdown: paragraphs, a heading, a list, a quote with straight
    quotes and apostrophes (for the typography), an outside link and maybe a `{filename}`
    link to the post file `link`."""
    blocks = [paragraph(rng), paragraph(rng),
              f'"We won\'t accept this -- not now, not ever," said the chair of branch {n}.',
              "## " + sentence(rng, 3, 6).rstrip("."), paragraph(rng),
              "\n".join(f"- {sentence(rng, 4, 9)}" for _ in range(4)), paragraph(rng),
              "> " + sentence(rng) + "\n>\n> --- the branch secretary",
              f"{sentence(rng)} Read [the full report](https://www.example.org/reports/{n}).",
              paragraph(rng)]
    if link:
        blocks.append(f"[Read more: an earlier story]({{filename}}{link})")
    return "\n\n".join(blocks) + "\n"


def make_posts(count: int, seed: int, every: bool) -> list[Post]:
    """`count` posts from a generator seeded with `seed` (see the module docstring)."""
    rng = random.Random(seed)
    start = min(START, datetime.datetime.now().replace(hour=9, minute=0, second=0,
                                                       microsecond=0) - datetime.timedelta(days=1))
    dates = [start - datetime.timedelta(days=n) for n in range(count)]
    posts = []
    for n in range(count):
        older = n + 1 + rng.randrange(max(1, count - n - 1)) if n + 1 < count else None
        link = None
        if older is not None and rng.random() < SHARE:
            link = f"{dates[older]:%Y-%m-%d}-post-{older}.md"
        post = Post(n, dates[n], f"{sentence(rng, 6, 8).rstrip('.')} {n}",
                    rng.choice(CATEGORIES), sorted({rng.choice(WORDS[:40]) for _ in range(3)}),
                    sentence(rng, 20, 30), body_text(rng, n, link))
        if count > 1 and (every or rng.random() < SHARE):
            others = [k for k in rng.sample(range(count), min(3, count)) if k != n][:2]
            post.related = sorted(f"post-{k}" for k in others)
        if every or rng.random() < SHARE:
            post.hero = f"images/hero-{n}.jpg"
        posts.append(post)
    return posts


def write_jpeg(path: Path, seed: int) -> None:
    """A small real photograph-sized JPEG (800 x 450, quality 80) of seeded shapes."""
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 450), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(800), rng.randrange(450)
        box = (x, y, x + rng.randrange(40, 300), y + rng.randrange(30, 200))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    image.save(path, "JPEG", quality=80)


def our_post(post: Post) -> str:
    lines = ["---", f'title: "{post.title}"', f"date: {post.date:%Y-%m-%d %H:%M}",
             f"category: {post.category}", f"tags: [{', '.join(post.tags)}]",
             f'summary: "{post.summary}"']
    if post.hero:
        lines += [f"image: {post.hero}", f'image_alt: "Shapes for post {post.n}"']
    if post.related:
        lines.append(f"related: [{', '.join(post.related)}]")
    return "\n".join([*lines, "---", "", post.body])


def write_site(folder: Path, count: int, seed: int = 2025, every: bool = False) -> list[Post]:
    """Write `folder/content` in our format (see the module docstring); return the posts."""
    content = folder / "content"
    for part in ("pages", "images", "extra"):
        shutil.copytree(ROOT / "content" / part, content / part)
    (content / "news").mkdir(parents=True)
    posts = make_posts(count, seed, every)
    for post in posts:
        (content / "news" / post.filename).write_text(our_post(post), encoding="utf-8")
        if post.hero:
            write_jpeg(content / post.hero, seed * 100_003 + post.n)
    return posts


def split_front_matter(text: str) -> tuple[dict, str]:
    """(fields, body) of a file in our format."""
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body.lstrip("\n")


def link_images(source: Path, dest: Path) -> None:
    """Hard-link (copy across file systems) every file of `source` into `dest`."""
    shutil.copytree(source, dest, copy_function=os.link)


def write_bare(content: Path, dest: Path, posts: list[Post]) -> None:
    """`dest/content` for bare Pelican: Pelican's native `Key: value` metadata."""
    for post in posts:
        lines = [f"Title: {post.title}", f"Date: {post.date:%Y-%m-%d %H:%M}",
                 f"Category: {post.category}", f"Tags: {', '.join(post.tags)}",
                 f"Slug: {post.slug}", f"Summary: {post.summary}"]
        if post.hero:
            lines.append(f"Image: {post.hero}")
        out = dest / "content/news" / post.filename
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n\n" + post.body, encoding="utf-8")
    for page in sorted((content / "pages").glob("*.md")):
        fields, body = split_front_matter(page.read_text(encoding="utf-8"))
        meta = [f"{key.capitalize()}: {' '.join(str(value).split())}"
                for key, value in fields.items()]
        out = dest / "content/pages" / page.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(meta) + "\n\n" + body, encoding="utf-8")
    link_images(content / "images", dest / "content/images")


def hugo_front(fields: dict) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n\n"


def write_hugo(content: Path, dest: Path, posts: list[Post]) -> None:
    """`dest/content` and `dest/static` for Hugo: the same posts and pages."""
    (dest / "content/news").mkdir(parents=True, exist_ok=True)
    for post in posts:
        fields = {"title": post.title, "date": post.date.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                  "categories": [post.category], "tags": post.tags, "summary": post.summary}
        if post.hero:
            fields["image"] = "/" + post.hero
        body = LINK_RE.sub(r'{{< ref "/news/\1" >}}', post.body)
        (dest / "content/news" / post.filename).write_text(hugo_front(fields) + body,
                                                           encoding="utf-8")
    (dest / "content/pages").mkdir(parents=True)
    for page in sorted((content / "pages").glob("*.md")):
        fields, body = split_front_matter(page.read_text(encoding="utf-8"))
        body = re.sub(r"\{filename\}\S+?\.md", "/", body)
        (dest / "content/pages" / page.name).write_text(hugo_front(fields) + body,
                                                        encoding="utf-8")
    link_images(content / "images", dest / "static/images")


def edit_post(content: Path, post: Post, token: str) -> None:
    """Save an edit to `post`: a sentence with `token` added at the end of its body."""
    path = content / "news" / post.filename
    with path.open("a", encoding="utf-8") as file:
        file.write(f"\nAn added sentence, edit {token}.\n")
