#!/usr/bin/env bash
# Builds the official AgentPhone MCP server (AgentPhone-AI/agentphone-mcp) at a pinned commit into
# src/test/mcp-server/agentphone-mcp, for OfficialMcpServerTest. It is not published on npm, so
# its source is taken from its git repository: AGENTPHONE_MCP_SOURCE (a git URL or a local
# repository) or GitHub. Does nothing when that commit is already built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
commit="$(cat "$here/COMMIT")"
source="${AGENTPHONE_MCP_SOURCE:-https://github.com/AgentPhone-AI/agentphone-mcp.git}"
out="$here/agentphone-mcp"
if [ -f "$out/dist/index.js" ] && [ "$(cat "$out/.commit" 2>/dev/null)" = "$commit" ]; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet --bare "$source" "$work/repo"
rm -rf "$out"
mkdir -p "$out"
git --git-dir="$work/repo" archive "$commit" | tar -x -C "$out"
# its lock file pins mcp-use 1.33.0, which not every registry still serves; the package's own
# range (^1.33.0) resolves without it
rm -f "$out/package-lock.json"
(cd "$out" && npm install --no-audit --no-fund --loglevel=error && npm run build --silent)
echo "$commit" > "$out/.commit"
