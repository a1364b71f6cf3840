#!/bin/sh
# .deb postrm for 문지기 (Munjigi): removes the command link and reloads udev so the scanner rule
# dpkg just removed stops applying. The kiosk's data (~/.config/Munjigi) is left for the operator.
set -e
rm -f '/usr/bin/${executable}'
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
fi
exit 0
