#!/usr/bin/env bash
# Sourced by the installers: sets TOOLS_CACHE_DIR, where the built tools are kept, outside the repository so
# that every clone on a machine shares one build. Same choice as the local stack's server cache
# (libs/local-stack, cacheDirectory): SHARDLINE_CACHE_DIR, else /var/cache/shardline as root, else
# ${XDG_CACHE_HOME:-~/.cache}/shardline; the tools go in its `tools` directory. SHARDLINE_TOOLS_CACHE names
# the tools directory itself (CI caches it between runs).
if [[ -n "${SHARDLINE_TOOLS_CACHE:-}" ]]; then
  TOOLS_CACHE_DIR="$SHARDLINE_TOOLS_CACHE"
elif [[ -n "${SHARDLINE_CACHE_DIR:-}" ]]; then
  TOOLS_CACHE_DIR="$SHARDLINE_CACHE_DIR/tools"
elif [[ "$(id -u)" == 0 ]]; then
  TOOLS_CACHE_DIR=/var/cache/shardline/tools
else
  TOOLS_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/shardline/tools"
fi
