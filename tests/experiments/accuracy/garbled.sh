#!/bin/sh
# A trial whose answer is not one JSON line with a numeric accuracy.
echo "accuracy: 0.5"
