#!/bin/sh
# Installs the Debian packages needed by make_tiny_model.py (run as root).
# Use /usr/bin/python3 (the Debian interpreter) to run the script afterwards.
set -e
apt-get install -y python3-torch python3-onnx python3-numpy python3-jinja2 python3-regex
# optional, makes training several times faster than the reference BLAS
apt-get install -y libopenblas0-pthread
