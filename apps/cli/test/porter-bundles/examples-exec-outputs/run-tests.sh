#!/usr/bin/env bash

cat << EOF
--- FAIL: TestInstall (0.10s)
stuff
things
--- FAIL: TestUpgrade (0.01s)
more
logs
EOF