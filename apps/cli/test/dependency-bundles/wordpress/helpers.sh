#!/bin/sh
set -e
echo "wordpress: $WORDPRESS_NAME on $4 as user=$2 password=$3"
echo "wordpress: password sha256 $(printf '%s' "$3" | sha256sum | cut -c1-64)"
