#!/bin/sh
# .deb postinst for 문지기 (Munjigi). electron-builder fills in ${...} when it builds the package.
# Replaces electron-builder's default postinst, so it repeats what that one does (command link,
# setuid chrome-sandbox for the renderer sandbox) and then makes the udev rule for the USB POS
# scanners take effect without a reboot.
set -e

ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'

if ! { [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; }; then
  chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
  chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi

# The rule (/lib/udev/rules.d/70-munjigi-hidpos.rules) is shipped as a package file.
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=hidraw --action=change || true
fi
exit 0
