#!/bin/sh
set -e
if [ "$1" = install ] && [ "$FAIL" = true ]; then
  echo "mysql: refusing to install, as asked" >&2
  exit 3
fi
printf '%s' "$MYSQL_USER" > /cnab/app/mysql-user.txt
printf 'pw-%s' "$(printf '%s' "$DATABASE_NAME-$SALT" | sha256sum | cut -c1-32)" > /cnab/app/mysql-password.txt
echo "mysql: database $DATABASE_NAME for $MYSQL_USER ready"
