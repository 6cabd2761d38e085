#!/usr/bin/env bash
# Install what fawen needs from Debian, only what is missing: LibreOffice (the PDF engine),
# Noto CJK (source of the 小标宋 stand-in), poppler-utils (page pictures), Chromium and its
# driver (the browser test of `fawen preview`), and the Fandol
# fonts (仿宋/黑体/楷体/宋体 stand-ins), taken from texlive-lang-chinese without installing
# TeX into .fonts-src/ (scripts/stand_in_fonts.py turns them into TrueType in .fonts/).
# Idempotent: a second run checks and returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."
FONTS_DIR=.fonts-src
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-system: not root and no sudo; install libreoffice-writer-nogui fonts-noto-cjk poppler-utils chromium chromium-driver by hand" >&2
  fi
fi
updated=0
apt_update() {
  if [ "$updated" = 0 ]; then $SUDO apt-get update -qq; updated=1; fi
}
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-match >/dev/null 2>&1 || need+=(fontconfig)
# the browser test of `fawen preview` (tests/test_preview_browser.py): headless Chromium and its driver
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup-system: installing ${need[*]}" >&2
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -f "$FONTS_DIR/FandolFang-Regular.otf" ]; then
  echo "setup-system: extracting Fandol fonts from texlive-lang-chinese" >&2
  apt_update
  work=$(mktemp -d); chmod 755 "$work"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -qq texlive-lang-chinese >/dev/null)
  dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/x"
  mkdir -p "$FONTS_DIR.part"
  cp "$work"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Hei,Kai,Song}-*.otf "$FONTS_DIR.part/"
  rm -rf "$FONTS_DIR" && mv "$FONTS_DIR.part" "$FONTS_DIR"
fi
