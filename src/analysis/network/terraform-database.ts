import { isWorldCidr } from '../admin-ports.js';
import type { CheckContext } from '../../core/types.js';
import { type TerraformDoc } from '../../parsers/terraform.js';
import { attrSpan as span, referencedResource, resourceName as name, resourcesOf } from './terraform-query.js';
import type { Exposure } from './terraform-exposure.js';
import { attrScalar, moduleSymbols, stringList, weaker } from './terraform-values.js';

/** Azure database firewall rules: a rule from 0.0.0.0 to 255.255.255.255 admits every IPv4 address. */
const AZURE_DB_FIREWALL = [
  'azurerm_sql_firewall_rule',
  'azurerm_mssql_firewall_rule',
  'azurerm_postgresql_firewall_rule',
  'azurerm_postgresql_flexible_server_firewall_rule',
  'azurerm_mysql_firewall_rule',
  'azurerm_mysql_flexible_server_firewall_rule',
  'azurerm_mariadb_firewall_rule',
];
const AZURE_DB_SERVERS = [
  'azurerm_sql_server',
  'azurerm_mssql_server',
  'azurerm_postgresql_server',
  'azurerm_postgresql_flexible_server',
  'azurerm_mysql_server',
  'azurerm_mysql_flexible_server',
  'azurerm_mariadb_server',
];


/** Databases the internet can connect to: a public endpoint, or a firewall that admits every address. */
export function terraformPublicDatabases(doc: TerraformDoc, ctx: CheckContext<unknown>): Exposure[] {
  const sym = moduleSymbols(doc, ctx.path, ctx.project);
  const out: Exposure[] = [];
  for (const db of resourcesOf(doc, ['aws_db_instance', 'aws_rds_cluster_instance'])) {
    const flag = attrScalar(db, 'publicly_accessible', sym);
    if (flag?.value !== 'true') continue;
    out.push({
      message: `${name(db)} has \`publicly_accessible = true\`: the database gets a public address that the internet can reach (its security group is then the only guard). Set it to false and connect from inside the VPC.`,
      at: span(db, 'publicly_accessible'),
      confidence: flag.confidence,
    });
  }
  for (const db of resourcesOf(doc, ['google_sql_database_instance'])) {
    for (const ip of db.blocks.filter((b) => b.type === 'settings').flatMap((s) => s.blocks.filter((b) => b.type === 'ip_configuration'))) {
      if (attrScalar(ip, 'ipv4_enabled', sym)?.value === 'false') continue;
      for (const net of ip.blocks.filter((b) => b.type === 'authorized_networks')) {
        const value = stringList(net.attributes.find((a) => a.name === 'value')?.value, sym);
        if (!value.values.some((v) => isWorldCidr(v))) continue;
        out.push({
          message: `${name(db)} authorizes ${value.values.find((v) => isWorldCidr(v))} on its public IP: every address on the internet can connect to the database. Authorize only the networks that need it, or use private IP and the Cloud SQL Auth Proxy.`,
          at: span(net, 'value'),
          confidence: weaker(value.confidence, net.dynamic ? 'low' : 'high'),
        });
      }
    }
  }
  for (const rule of resourcesOf(doc, AZURE_DB_FIREWALL)) {
    const start = attrScalar(rule, 'start_ip_address', sym);
    const end = attrScalar(rule, 'end_ip_address', sym);
    if (start?.value !== '0.0.0.0' || end?.value !== '255.255.255.255') continue;
    // a server in this file with public network access switched off never applies the rule
    const server = referencedResource(rule, ['server_id', 'server_name'], AZURE_DB_SERVERS, doc);
    if (server && attrScalar(server, 'public_network_access_enabled', sym)?.value === 'false') continue;
    out.push({
      message: `${name(rule)} admits 0.0.0.0-255.255.255.255: every IPv4 address on the internet can connect to the database server. List the client ranges that need it, or use a private endpoint.`,
      at: span(rule, 'end_ip_address'),
      confidence: weaker(start.confidence, end.confidence),
    });
  }
  return out;
}
