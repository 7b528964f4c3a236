#!/usr/bin/env bash
# Installs the Debian 12 packages landrec needs that are missing (apt-get; as root, or with
# sudo). Usage: scripts/install-deps.sh [EXTRA-PACKAGE...]
set -euo pipefail
packages=(
    build-essential meson ninja-build pkg-config
    libleptonica-dev libtesseract-dev libtiff-dev libpq-dev libssl-dev libjansson-dev
    libfreetype-dev libutf8proc-dev libjpeg-dev libpng-dev
    fonts-noto-cjk fonts-nanum fonts-nanum-extra fonts-arphic-ukai
    python3-pil fonts-hanazono fonts-ipaexfont-mincho fonts-arphic-uming fonts-unfonts-core
    fonts-baekmuk
    clang libclang-rt-14-dev libfuzzer-14-dev
    tesseract-ocr tesseract-ocr-kor tesseract-ocr-kor-vert tesseract-ocr-chi-tra
    tesseract-ocr-jpn tesseract-ocr-osd tesseract-ocr-eng
    postgresql python3 libtiff-tools imagemagick
    unicode-data  # Unihan, read only to regenerate data/hanja_forms.tsv and data/gazetteer.tsv
    libmicrohttpd-dev libsodium-dev  # landrec serve: HTTP, Argon2id password hashes
    chromium chromium-driver python3-selenium openssl  # the web tests: a browser, a TLS cert
    libxml2-utils  # xmllint: the qa test validates the HTML rescan list
    "$@"
)
# The HTTP tests speak libcurl: any of Debian's libcurl development packages will do.
pkg-config --exists libcurl 2>/dev/null || packages+=(libcurl4-openssl-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
