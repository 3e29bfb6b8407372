#!/bin/sh
# Installs a released poolctl for this machine's OS and architecture, verified by sha256.
#
#   curl -fsSL https://raw.githubusercontent.com/poolctl/poolctl/main/install.sh | sh
#
# Environment:
#   POOLCTL_VERSION       the version to install (1.2.3 or v1.2.3); default: the latest release
#   POOLCTL_INSTALL_DIR   where to put the binary; default: ~/.local/bin
#   POOLCTL_DOWNLOAD_URL  a mirror holding the files as `just dist` writes them
#                         (poolctl-<version>-<target>.tar.gz and its .sha256), http(s) or file://;
#                         needs POOLCTL_VERSION
#   POOLCTL_REPO          the GitHub repository of the releases; default: poolctl/poolctl
#   GITHUB_TOKEN          sent to the GitHub API when set (its rate limit is per token)
#
# `sh install.sh --print-version` prints the version it would install and exits.
#
# A checksum mismatch, a missing file or any other failure exits non-zero and leaves nothing
# behind: the download lives in a temporary directory removed on every exit, and the install
# directory is only touched once the archive is verified.
set -eu

repo="${POOLCTL_REPO:-poolctl/poolctl}"
install_dir="${POOLCTL_INSTALL_DIR:-${HOME:-}/.local/bin}"
tmp=""

say() { printf 'install.sh: %s\n' "$*" >&2; }
fail() {
    say "error: $*"
    exit 1
}

cleanup() {
    if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
# A signal exits through the EXIT trap, so the temporary directory goes then too.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The Rust target of the archive for this machine (the names `just dist` and the release use).
detect_target() {
    case "$(uname -s)" in
        Linux) os="unknown-linux-musl" ;;
        Darwin) os="apple-darwin" ;;
        *) fail "no poolctl release for $(uname -s); build it from source (see the README)" ;;
    esac
    case "$(uname -m)" in
        x86_64 | amd64) arch="x86_64" ;;
        aarch64 | arm64) arch="aarch64" ;;
        *) fail "no poolctl release for $(uname -m); build it from source (see the README)" ;;
    esac
    echo "$arch-$os"
}

# download URL FILE
download() {
    if command -v curl >/dev/null 2>&1; then
        if [ -n "${GITHUB_TOKEN:-}" ] && [ "${2:-}" = "-" ]; then
            curl -fsSL -H "Authorization: Bearer $GITHUB_TOKEN" "$1"
        elif [ "${2:-}" = "-" ]; then
            curl -fsSL "$1"
        else
            curl -fsSL -o "$2" "$1"
        fi
    elif command -v wget >/dev/null 2>&1; then
        if [ -n "${GITHUB_TOKEN:-}" ] && [ "${2:-}" = "-" ]; then
            wget -q -O - --header "Authorization: Bearer $GITHUB_TOKEN" "$1"
        elif [ "${2:-}" = "-" ]; then
            wget -q -O - "$1"
        else
            wget -q -O "$2" "$1"
        fi
    else
        fail "needs curl or wget"
    fi
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    elif command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha256 -r "$1" | cut -d' ' -f1
    else
        fail "needs sha256sum, shasum or openssl to verify the download"
    fi
}

resolve_version() {
    if [ -n "${POOLCTL_VERSION:-}" ] && [ "$POOLCTL_VERSION" != "latest" ]; then
        echo "${POOLCTL_VERSION#v}"
        return
    fi
    if [ -n "${POOLCTL_DOWNLOAD_URL:-}" ]; then
        fail "POOLCTL_DOWNLOAD_URL needs POOLCTL_VERSION (a mirror has no 'latest')"
    fi
    api="https://api.github.com/repos/$repo/releases/latest"
    json=$(download "$api" -) || fail "cannot read the latest release from $api"
    tag=$(printf '%s\n' "$json" | sed -n 's/.*"tag_name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n 1)
    [ -n "$tag" ] || fail "no tag_name in the answer from $api"
    echo "${tag#v}"
}

main() {
    case "${1:-}" in
        "") ;;
        --print-version)
            resolve_version
            return
            ;;
        -h | --help)
            say "environment: POOLCTL_VERSION, POOLCTL_INSTALL_DIR, POOLCTL_DOWNLOAD_URL, POOLCTL_REPO, GITHUB_TOKEN (see the top of install.sh)"
            return
            ;;
        *) fail "unknown argument '$1' (see --help)" ;;
    esac

    [ -n "${POOLCTL_INSTALL_DIR:-}" ] || [ -n "${HOME:-}" ] || fail "HOME is not set: set POOLCTL_INSTALL_DIR"
    version=$(resolve_version)
    case "$version" in
        *[!A-Za-z0-9.+-]* | "") fail "'$version' is not a version" ;;
    esac
    target=$(detect_target)
    stem="poolctl-$version-$target"
    archive="$stem.tar.gz"
    base="${POOLCTL_DOWNLOAD_URL:-https://github.com/$repo/releases/download/v$version}"
    base="${base%/}"

    tmp=$(mktemp -d 2>/dev/null || mktemp -d -t poolctl-install)
    say "downloading $archive from $base"
    download "$base/$archive" "$tmp/$archive" || fail "cannot download $base/$archive"
    download "$base/$archive.sha256" "$tmp/$archive.sha256" || fail "cannot download $base/$archive.sha256"

    expected=$(cut -d' ' -f1 <"$tmp/$archive.sha256")
    actual=$(sha256_of "$tmp/$archive")
    case "$expected" in
        *[!0-9a-f]* | "") fail "$archive.sha256 holds no sha256" ;;
    esac
    if [ "$expected" != "$actual" ]; then
        fail "checksum mismatch for $archive: expected $expected, got $actual; nothing installed"
    fi

    tar -xzf "$tmp/$archive" -C "$tmp" || fail "cannot unpack $archive"
    [ -f "$tmp/$stem/poolctl" ] || fail "$archive holds no $stem/poolctl"

    mkdir -p "$install_dir" || fail "cannot create $install_dir"
    # Copied beside its final name, then renamed: a running poolctl is never half-written.
    staged="$install_dir/.poolctl.$$"
    if ! cp "$tmp/$stem/poolctl" "$staged" || ! chmod 755 "$staged" || ! mv -f "$staged" "$install_dir/poolctl"; then
        rm -f "$staged"
        fail "cannot write $install_dir/poolctl"
    fi
    say "installed poolctl $version ($target) to $install_dir/poolctl"
    case ":${PATH:-}:" in
        *":$install_dir:"*) ;;
        *) say "note: $install_dir is not on PATH" ;;
    esac
}

main "$@"
