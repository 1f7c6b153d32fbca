#!/usr/bin/env bash
# A single-node Kafka (KRaft, broker and controller in one JVM) from the jars `make install` cached.
# usage: kafka.sh start|stop|status|check
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

DIR="$RUN/kafka"
HEAP=${TREUE_KAFKA_HEAP:-"-Xms256m -Xmx512m"}
export TREUE_KAFKA_BOOTSTRAP_SERVERS=${TREUE_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}

external() { is_true "${TREUE_EXTERNAL_KAFKA:-}"; }

write_config() {
  mkdir -p "$DIR/data"
  cat >"$DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/data
num.partitions=12
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
log.cleaner.dedupe.buffer.size=1048577
# The controller appends a no-op record to the metadata log (with an fsync) every 500 ms by
# default, so that brokers see it is alive; one local node needs that far less often, and
# on a busy disk each of those writes logged "Exceptionally slow controller event".
metadata.max.idle.interval.ms=5000
EOF
  # Console output goes to .run/logs/kafka.log (spawn redirects it), together with JVM errors.
  cat >"$DIR/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
# Per-partition chatter and config dumps drown what matters.
logger.partition.name = kafka.cluster.Partition
logger.partition.level = WARN
logger.logmanager.name = kafka.log
logger.logmanager.level = WARN
logger.storage.name = org.apache.kafka.storage
logger.storage.level = WARN
logger.runtime.name = org.apache.kafka.coordinator.common.runtime
logger.runtime.level = WARN
logger.replication.name = org.apache.kafka.controller.ReplicationControlManager
logger.replication.level = WARN
logger.config.name = org.apache.kafka.common.config.AbstractConfig
logger.config.level = WARN
EOF
}

kafka_java() { java -cp "$KAFKA_LIB/*" "$@"; }

format_once() {
  [ -f "$DIR/data/meta.properties" ] && return
  # Cluster id: URL-safe base64 of 16 random bytes without padding, kept for later look-ups.
  [ -s "$DIR/cluster-id" ] ||
    python3 -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("="))' >"$DIR/cluster-id"
  info "formatting storage (cluster id $(cat "$DIR/cluster-id"))"
  kafka_java -Dlog4j2.configurationFile="$DIR/log4j2.properties" kafka.tools.StorageTool format \
    -t "$(cat "$DIR/cluster-id")" -c "$DIR/server.properties" --ignore-formatted >>"$LOGS/kafka.log" 2>&1 ||
    { log_tail "$LOGS/kafka.log"; die "kafka storage format failed"; }
}

ensure_topics() { "$PY" "$LOCAL/kafka_admin.py" topics; }

start() {
  require_venv
  if external; then
    info "TREUE_EXTERNAL_KAFKA is set: using $TREUE_KAFKA_BOOTSTRAP_SERVERS"
    ensure_topics
    return
  fi
  if running_pid kafka >/dev/null; then
    info "kafka already running (pid $(running_pid kafka))"
  else
    [ -f "$KAFKA_LIB/.complete" ] || die "kafka jars missing in $KAFKA_LIB: run 'make install'"
    port_open 127.0.0.1 "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by a process that is not ours"
    write_config
    format_once
    # shellcheck disable=SC2086 # HEAP holds several options
    spawn kafka java $HEAP -XX:+UseG1GC -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$DIR/log4j2.properties" -cp "$KAFKA_LIB/*" kafka.Kafka "$DIR/server.properties"
  fi
  if ! { wait_for_port 127.0.0.1 "$KAFKA_PORT" && ensure_topics; }; then
    log_tail "$LOGS/kafka.log"
    exit 1
  fi
  info "kafka ready on $TREUE_KAFKA_BOOTSTRAP_SERVERS (log $LOGS/kafka.log)"
}

stop() {
  if external; then info "TREUE_EXTERNAL_KAFKA is set: nothing to stop"; return; fi
  # A controlled shutdown of a broker with many partitions can take a while.
  stop_process kafka 60
}

status() {
  if external; then info "kafka: external ($TREUE_KAFKA_BOOTSTRAP_SERVERS)"; return; fi
  if pid=$(running_pid kafka); then info "kafka: running (pid $pid)"; else info "kafka: stopped"; fi
}

check() {
  require_venv
  "$PY" "$LOCAL/kafka_admin.py" check
}

case "${1:-}" in
  start | stop | status | check) "$1" ;;
  *) die "usage: $0 start|stop|status|check" ;;
esac
