#!/bin/sh
# Stand-in for Prisma's native schema engine, which the CLI would otherwise try to download before
# every command. generate/validate/format only need the Wasm engine inside the prisma package.
# Migrations do need the real engine; this project applies them itself (lib/db/migrate.ts).
echo "The Prisma schema engine is not installed (offline). Use 'npm run db:migrate' for migrations." >&2
exit 1
