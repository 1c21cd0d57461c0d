#!/usr/bin/env bash
# Builds the official AgentPhone MCP server (AgentPhone-AI/agentphone-mcp, MIT) into
# src/test/mcp-server/agentphone-mcp, for OfficialMcpServerTest. It is not published on npm, so
# its source is kept here unchanged in official/ (taken from its repository at the commit in
# COMMIT), with a package-lock.json of versions the npm registry serves (its own pins mcp-use
# 1.33.0, which the registry no longer does). Does nothing when that build is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stamp="$(cat "$here/COMMIT") $(sha256sum "$here/official/package-lock.json" | cut -d' ' -f1)"
out="$here/agentphone-mcp"
if [ -f "$out/dist/index.js" ] && [ "$(cat "$out/.built" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cp -R "$here/official/." "$out/"
(cd "$out" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
echo "$stamp" > "$out/.built"
