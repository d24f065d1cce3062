#!/bin/sh
# A trial slower than the tests' timeout_s (1 s): killed, its candidate infeasible.
sleep 30
