#!/bin/sh
# Install (or remove) the SmerteAgent bundle on Linux with its menu entry and icon.
#
#   packaging/linux/install.sh [--system] [--uninstall] [BUNDLE]
#
# BUNDLE is the one-folder bundle (the folder holding the `smerteagent` program), e.g. dist/smerteagent.
# Run from inside a bundle (smerteagent/_internal/linux/install.sh) it installs that bundle.
# Per user (default): ~/.local/opt/smerteagent, ~/.local/bin/smerteagent, ~/.local/share/{applications,icons}.
# --system (as root): /opt/smerteagent, /usr/local/bin/smerteagent, /usr/local/share/{applications,icons}.
# Patient data is never touched: it lives in the user's data folder (or the clinic's server), not here.
set -eu

system=0 uninstall=0 bundle=""
for argument in "$@"; do
  case "$argument" in
    --system) system=1 ;;
    --uninstall) uninstall=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "install.sh: unknown option $argument (see --help)" >&2; exit 2 ;;
    *) bundle=$argument ;;
  esac
done

if [ "$system" = 1 ]; then
  target=/opt/smerteagent bin=/usr/local/bin share=/usr/local/share
else
  target="$HOME/.local/opt/smerteagent" bin="$HOME/.local/bin" share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
applications="$share/applications" icons="$share/icons/hicolor"

if [ "$uninstall" = 1 ]; then
  rm -rf "$target"
  rm -f "$bin/smerteagent" "$applications/smerteagent.desktop" \
        "$icons/256x256/apps/smerteagent.png" "$icons/scalable/apps/smerteagent.svg"
  echo "removed SmerteAgent from $target (patient data left where it is)"
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$bundle" ] && [ -x "$here/../../smerteagent" ]; then
  bundle="$here/../.."
fi
if [ -z "$bundle" ] || [ ! -x "$bundle/smerteagent" ]; then
  echo "install.sh: ${bundle:-no bundle given}: not a SmerteAgent bundle (no executable 'smerteagent' in it)" >&2
  exit 2
fi
bundle=$(cd "$bundle" && pwd)
resources="$bundle/_internal/smerteagent/_bundled/resources/icons"
entry="$bundle/_internal/linux/smerteagent.desktop"
[ -f "$entry" ] || entry="$here/smerteagent.desktop"

if [ "$bundle" != "$target" ]; then
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  cp -a "$bundle" "$target"
fi
mkdir -p "$bin" "$applications" "$icons/256x256/apps" "$icons/scalable/apps"
ln -sf "$target/smerteagent" "$bin/smerteagent"
cp "$resources/smerteagent.png" "$icons/256x256/apps/smerteagent.png"
cp "$resources/smerteagent.svg" "$icons/scalable/apps/smerteagent.svg"
# The menu entry starts the installed program by its full path: ~/.local/bin is not always on the menu's PATH.
sed -e "s|^Exec=.*|Exec=$target/smerteagent|" -e "s|^TryExec=.*|TryExec=$target/smerteagent|" \
    "$entry" > "$applications/smerteagent.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
echo "installed SmerteAgent $("$target/smerteagent" --version | cut -d' ' -f2) in $target"
echo "menu entry: $applications/smerteagent.desktop; command: $bin/smerteagent"
