# test/lib.sh — machinery shared by test/run (the test suite) and test/demo.
#
# Sourced, not run.  It
#   - installs the Debian packages that are missing (apt-get as root, sudo otherwise),
#   - builds the extension and installs it into a private copy of the server's
#     installation tree (nothing is written to /usr; no sudo needed for it),
#   - starts a throwaway server on a Unix socket in a temporary directory, as an
#     unprivileged user when run as root, and removes everything on exit.
#
# Settings (environment): PG (major version, default 15); LT_APT_SAFE=1 (see
# lt_packages).

set -euo pipefail

PG=${PG:-15}
LT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LT_SHARED=$(cd "$LT_TOP/.." && pwd)/shared

lt_say() { printf '== %s\n' "$*" >&2; }
lt_die() { printf 'error: %s\n' "$*" >&2; exit 2; }

lt_as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else lt_die "need root (or sudo) to run: $*"
	fi
}

# Install the Debian packages the build and the tests need, if any is missing.
lt_packages() {
	local want=(make gcc pkg-config libicu-dev libipc-run-perl perl
		"postgresql-$PG" "postgresql-server-dev-$PG" "postgresql-contrib-$PG"
		"postgresql-$PG-partman" "$@")
	local missing=() p
	for p in "${want[@]}"; do
		# postgresql-contrib-N is a virtual package provided by postgresql-N
		[ "$p" = "postgresql-contrib-$PG" ] && continue
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	lt_say "installing Debian packages: ${missing[*]}"
	lt_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	local p2
	for p2 in "${missing[@]}"; do
		if ! apt-cache show "$p2" >/dev/null 2>&1; then
			lt_die "package $p2 is not offered by this system's package lists (PostgreSQL $PG is not packaged here)"
		fi
	done
	# dpkg's --force-unsafe-io: no fsync of each file it unpacks, which halves
	# the install on a fresh machine (measured in a fresh Debian 12 root: 40 s
	# instead of 91 s); the only risk is a half-written package if the machine
	# loses power during the install.  LT_APT_SAFE=1 installs without it.
	local io=(-o Dpkg::Options::=--force-unsafe-io)
	[ "${LT_APT_SAFE:-0}" = 0 ] || io=()
	lt_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${io[@]}" "${missing[@]}" >&2
}

# The Debian packages the client applications of test/apps need: Python's
# psycopg2 and Django, pgjdbc and a JDK, Node.js and npm (where node and npm
# are already there, e.g. from NodeSource, Debian's would conflict: not asked
# for; likewise a JDK already installed).
lt_app_packages() {
	echo python3-psycopg2 python3-django libpostgresql-jdbc-java
	command -v javac >/dev/null 2>&1 || echo default-jdk-headless
	command -v node >/dev/null 2>&1 || echo nodejs
	command -v npm >/dev/null 2>&1 || echo npm
}

# A work directory that the server's user can use; removed on exit.
lt_workdir() {
	LT_WORK=$(mktemp -d "${TMPDIR:-/tmp}/letters_triage.XXXXXX")
	chmod 755 "$LT_WORK"
	LT_RUNAS=()
	if [ "$(id -u)" = 0 ]; then
		# PostgreSQL refuses to run as root: the server and the tests run as
		# the postgres user that the Debian packages create.
		id postgres >/dev/null 2>&1 || lt_die "user postgres does not exist"
		LT_RUNAS=(runuser -u postgres --)
		# where the server's user cannot enter the current directory (a
		# project under /root), its commands run from the work directory:
		# they are given absolute paths, and otherwise each one complains
		# that it "could not change directory"
		runuser -u postgres -- test -x "$PWD" 2>/dev/null || LT_RUNAS=(env -C "$LT_WORK" runuser -u postgres --)
	fi
	trap lt_cleanup EXIT
}

lt_cleanup() {
	local rc=$?
	if [ -n "${LT_WORK:-}" ] && [ -d "$LT_WORK" ]; then
		if [ -f "$LT_WORK/data/postmaster.pid" ]; then
			"${LT_RUNAS[@]}" "$LT_BIN/pg_ctl" -D "$LT_WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
		fi
		rm -rf "$LT_WORK"
	fi
	exit $rc
}

# Build the extension and install it into $LT_WORK/inst, a copy of the
# server's installation tree: the server binaries are copied (they locate
# their share and lib directories relative to themselves), the rest linked.
lt_build() {
	local pgc=/usr/lib/postgresql/$PG/bin/pg_config
	[ -x "$pgc" ] || lt_die "$pgc not found"
	local bindir sharedir pkglibdir
	bindir=$("$pgc" --bindir); sharedir=$("$pgc" --sharedir); pkglibdir=$("$pgc" --pkglibdir)
	lt_say "building letters_triage for PostgreSQL $PG"
	make -C "$LT_TOP" -s PG_CONFIG="$pgc" clean >/dev/null
	make -C "$LT_TOP" -s -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$pgc" WERROR=1 with_llvm=no >&2
	LT_ROOT=$LT_WORK/inst
	mkdir -p "$LT_ROOT$bindir" "$LT_ROOT$sharedir" "$LT_ROOT$pkglibdir"
	cp -a "$bindir/." "$LT_ROOT$bindir/"
	cp -rs "$sharedir/." "$LT_ROOT$sharedir/"
	cp -rs "$pkglibdir/." "$LT_ROOT$pkglibdir/"
	make -C "$LT_TOP" -s PG_CONFIG="$pgc" with_llvm=no DESTDIR="$LT_ROOT" install >&2
	LT_BIN=$LT_ROOT$bindir
	LT_PGXS=$(cd "$(dirname "$("$pgc" --pgxs)")/../.." && pwd)
	# What the tests read: the project's test files, its sources (test/fuzz
	# builds the letter parser from them) and, when present, the
	# shared data beside the project (read-only copies, outside the project).
	mkdir -p "$LT_WORK/src"
	cp -a "$LT_TOP/sql" "$LT_TOP/expected" "$LT_TOP/test" "$LT_TOP/include" "$LT_TOP/extension" "$LT_WORK/src/"
	[ ! -d "$LT_TOP/docs" ] || cp -a "$LT_TOP/docs" "$LT_WORK/src/"
	if [ -d "$LT_SHARED" ]; then
		mkdir -p "$LT_WORK/shared"
		local d
		for d in corpus negex real; do
			[ -d "$LT_SHARED/$d" ] && cp -r "$LT_SHARED/$d" "$LT_WORK/shared/"
		done
	fi
	[ ${#LT_RUNAS[@]} -eq 0 ] || chown -R postgres "$LT_WORK"
}

# Run a command as the server's user with the private installation first in PATH.
lt_run() {
	"${LT_RUNAS[@]}" env PATH="$LT_BIN:$PATH" PGHOST="$LT_WORK/sock" PGPORT="${LT_PORT:-5432}" \
		PGUSER=postgres LT_WORK="$LT_WORK" LT_BIN="$LT_BIN" LT_PGXS="$LT_PGXS" PG="$PG" "$@"
}

# A TCP port on 127.0.0.1 that nothing listens on now.
lt_free_port() {
	perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1",
		LocalPort => 0, Proto => "tcp") or die "no free port: $!\n"; print $s->sockport, "\n"'
}

# Start a throwaway server: a private Unix socket in $LT_WORK/sock, where
# the server's user is trusted, and 127.0.0.1 on a free port (LT_PORT), where
# only roles with a password get in (the applications of test/apps: pgjdbc
# connects over TCP only).
lt_start() {
	LT_PORT=${LT_PORT:-$(lt_free_port)}
	mkdir -p "$LT_WORK/sock"
	[ ${#LT_RUNAS[@]} -eq 0 ] || chown postgres "$LT_WORK/sock"
	lt_run "$LT_BIN/initdb" -D "$LT_WORK/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
		-E UTF8 --locale=C.UTF-8 >/dev/null
	cat >>"$LT_WORK/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$LT_WORK/sock'
port = $LT_PORT
fsync = off
shared_preload_libraries = 'letters_triage'
max_prepared_transactions = 10
log_min_messages = warning
EOF
	lt_run "$LT_BIN/pg_ctl" -D "$LT_WORK/data" -l "$LT_WORK/server.log" -w start >/dev/null
}
