#!/bin/sh
# A `command` accuracy trial for tests: accuracy = (number of 'f' in the candidate's arch) / 100, read from the
# proxy.json Ridgepoint writes into the trial directory (the working directory).
arch=$(sed -n 's/.*"arch":"\([^"]*\)".*/\1/p' proxy.json)
n=$(printf '%s' "$arch" | tr -cd 'f' | wc -c)
echo "{\"accuracy\": 0.$(printf '%02d' "$n")}"
