#!/bin/sh
# A trial that fails: exit 1 with a message on stderr.
echo "out of GPU memory" >&2
exit 1
