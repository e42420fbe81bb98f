/**
 * @module
 * The configuration files of the local cluster: `zoo.cfg` for a standalone
 * ZooKeeper and, per node, a self-contained clickhouse-server `config.xml`
 * (ports, directories, the cluster's `remote_servers`, ZooKeeper, the
 * `{shard}`/`{replica}` macros) and `users.xml`, in the syntax of
 * ClickHouse 18.16 (Debian's package), which newer releases still read.
 *
 * ZooKeeper sessions of 15 s: long enough to outlast a starved process on a
 * busy two-core test machine (18.16 can crash when its session expires in
 * the middle of distributed DDL), and a killed replica is still seen gone
 * within a test's time.
 */

import type { ClusterLayout, ClusterNode } from './layout.js';
import { join } from 'node:path';

export const ZK_TICK_MS = 1000;
export const ZK_SESSION_TIMEOUT_MS = 15_000;
const ZK_OPERATION_TIMEOUT_MS = 10_000;

export function zooCfg(layout: ClusterLayout): string {
  return [
    `tickTime=${ZK_TICK_MS}`,
    `dataDir=${join(layout.dir, 'zookeeper')}`,
    `clientPort=${layout.zooKeeperPort}`,
    'clientPortAddress=127.0.0.1',
    'admin.enableServer=false',
    'maxClientCnxns=0',
    '4lw.commands.whitelist=ruok',
    '',
  ].join('\n');
}

function remoteServers(layout: ClusterLayout): string {
  const shards = new Map<number, ClusterNode[]>();
  for (const node of layout.nodes) shards.set(node.shard, [...(shards.get(node.shard) ?? []), node]);
  const xml = [...shards.values()].map((replicas) =>
    [
      '      <shard>',
      // Each replica's table replicates itself through ZooKeeper: a Distributed insert writes one replica only.
      '        <internal_replication>true</internal_replication>',
      ...replicas.map((r) => `        <replica><host>127.0.0.1</host><port>${r.tcpPort}</port></replica>`),
      '      </shard>',
    ].join('\n'),
  );
  return `    <${layout.name}>\n${xml.join('\n')}\n    </${layout.name}>`;
}

export function serverConfigXml(layout: ClusterLayout, node: ClusterNode): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${join(node.dir, 'server.log')}</log>
    <errorlog>${join(node.dir, 'server.err.log')}</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${node.httpPort}</http_port>
  <tcp_port>${node.tcpPort}</tcp_port>
  <interserver_http_port>${node.interserverPort}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>${join(node.dir, 'data')}/</path>
  <tmp_path>${join(node.dir, 'tmp')}/</tmp_path>
  <user_files_path>${join(node.dir, 'user_files')}/</user_files_path>
  <format_schema_path>${join(node.dir, 'format_schemas')}/</format_schema_path>
  <users_config>${join(node.dir, 'users.xml')}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
${remoteServers(layout)}
  </remote_servers>
  <zookeeper>
    <node><host>127.0.0.1</host><port>${layout.zooKeeperPort}</port></node>
    <session_timeout_ms>${ZK_SESSION_TIMEOUT_MS}</session_timeout_ms>
    <operation_timeout_ms>${ZK_OPERATION_TIMEOUT_MS}</operation_timeout_ms>
  </zookeeper>
  <macros>
    <shard>${node.shard}</shard>
    <replica>${node.name}</replica>
  </macros>
  <distributed_ddl>
    <path>/clickhouse/task_queue/ddl</path>
  </distributed_ddl>
</yandex>
`;
}

export function usersXml(): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows>
        <read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
`;
}
