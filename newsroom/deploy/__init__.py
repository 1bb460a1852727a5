"""Deploy the site as atomic releases (build, check, upload, verify, switch, prune), roll
back, list releases, set up a target: `python -m newsroom.deploy` (see `cli`).

A target (`targets`) is an absolute folder here or `[user@]host:/absolute/folder` reached
with ssh, whose server needs sh, GNU coreutils, flock and rsync. Layout on the target::

    .deploy-target             marker: this folder belongs to this tool
    .deploy.lock               flock(1)ed while a deploy or rollback runs; names the holder
    releases/<id>/             one complete build; id = UTC YYYYMMDDTHHMMSSZ (-2, -3... if taken)
    releases/<id>.json         manifest: id, created, commit, pages, files, bytes, sha256 (of
                               the build's `sha256sum` listing), assets (hashed file names),
                               inputs_sha256 (what it was built from: `inputs`)
    current -> releases/<id>   the live release: the web server's root is <target>/current
    previous -> releases/<id>  the release before it, for `rollback`

One room per concern:

    targets    where releases go: LocalTarget, SshTarget, open_target (the target interface)
    releases   what is on a target: probe/TargetState, set up, marker, ids, partials, prune,
               the release listing
    ship       what ships a built folder: its checks, checksums, manifest, rsync upload
    switch     what makes a release live: the lock, verify and publish, hashed-asset carry,
               the switch of `current`, rollback
    inputs     the fingerprint of a deploy's inputs, computed before building
    cli        the commands (deploy, setup, rollback, releases) and their options; the build
               itself is one call to `newsroom.build.build_site`
    local_nginx  nginx on 127.0.0.1 with deploy/nginx.conf over a target (`make
               serve-deployed`, and the tests' web server)

Where the rules come from (measurements in the shared guide deploy-harness.md; issue 5):

* Upload into a fresh `releases/.<id>.partial/` with `rsync -rlpc --safe-links
  --link-dest=<target>/current/`: no `--delete` is needed (with an empty remote path it wipes
  the login's home folder); without `-t`, `-c` compares content, so unchanged files become
  hard links (Pelican rewrites every file); `--safe-links` drops links leaving the tree.
* Check the upload on the server (file count, `sha256sum -c`), rename it, and switch with one
  rename of a symlink (`ln -s releases/<id> current.tmp && mv -T current.tmp current`): no
  failed request under load, where `rm current; ln -s` failed half of them and `mv` without
  `-T` moves the link into the old release and exits 0.
* Version skew: the live release's files named by content hash (HASHED_ASSET_RE, the pattern
  deploy/nginx.conf caches for a year) are hard-linked into the new release, and a rollback
  links the current release's into the one it restores, so an old page finds its stylesheet.
* Pelican can drop an article and exit 0: the build (`newsroom.build`) checks the content
  and verifies its articles; the deploy then checks what it ships (index, odd file names,
  page count not far below the live release's).
* The lock is `flock` held by a process fed by this one: however this process dies, the
  kernel releases it, and the next deploy deletes the partial upload.
* Inputs the same as the live release's (`inputs`: content, data, theme, plugins, code,
  settings, pins, next embargo time, year) print one line and build nothing, so a scheduled
  deploy with nothing to do costs about a second (issue 11: it cost 0.89 of a full deploy);
  a build identical to the live release prints one line and makes no release.

Every operation on the target is a POSIX `sh -c` script run by a `LocalTarget` or an
`SshTarget` (the same scripts over one multiplexed ssh connection).
"""


class DeployError(Exception):
    """A refusal or failure: printed as `deploy: error: <message>`, exit status 1."""


UNCHANGED = "the live release is unchanged"
