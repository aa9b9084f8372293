import { terraformPublicDatabases } from '../../analysis/network/terraform-database.js';
import type { Rule } from '../../core/types.js';
import type { TerraformDoc } from '../../parsers/terraform.js';

export default {
  id: 'public-database',
  title: 'Database reachable from the internet',
  severity: 'high',
  area: 'network',
  summary:
    'Terraform: an `aws_db_instance`/`aws_rds_cluster_instance` with `publicly_accessible = true`, a `google_sql_database_instance` that ' +
    'authorizes `0.0.0.0/0` on its public IP, or an Azure database firewall rule from `0.0.0.0` to `255.255.255.255`.',
  rationale:
    'A database on a public address is one firewall mistake away from the internet, and scanners try default and leaked passwords on every ' +
    'database port they find. Data leaks and ransom notes in emptied databases start this way. Applications reach their database over the ' +
    'private network; administrators through a bastion, a VPN or the cloud\'s proxy. An Azure rule from `0.0.0.0` to `0.0.0.0` (Azure services only) ' +
    'is not the world and passes; a firewall rule whose server in the same file has `public_network_access_enabled = false` never applies and passes.',
  fix:
    'Set `publicly_accessible = false` (AWS), authorize only named networks or use private IP (`ipv4_enabled = false`, Cloud SQL Auth Proxy) on GCP, ' +
    'and list client ranges or use a private endpoint on Azure.',
  references: [
    'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding',
    'https://cloud.google.com/sql/docs/mysql/authorize-networks',
    'https://learn.microsoft.com/azure/azure-sql/database/firewall-configure',
  ],
  examples: {
    bad: [
      {
        path: 'infra/rds.tf',
        text:
          'resource "aws_db_instance" "main" {\n  engine              = "postgres"\n  instance_class      = "db.t4g.micro"\n' +
          '  allocated_storage   = 20\n  publicly_accessible = true\n}\n',
        line: 5,
      },
      {
        path: 'infra/sql.tf',
        text:
          'resource "google_sql_database_instance" "main" {\n  database_version = "POSTGRES_16"\n  settings {\n    tier = "db-f1-micro"\n' +
          '    ip_configuration {\n      authorized_networks {\n        name  = "all"\n        value = "0.0.0.0/0"\n      }\n    }\n  }\n}\n',
        line: 8,
      },
      {
        path: 'infra/azure.tf',
        text:
          'resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {\n  name             = "all"\n  server_id        = azurerm_postgresql_flexible_server.main.id\n' +
          '  start_ip_address = "0.0.0.0"\n  end_ip_address   = "255.255.255.255"\n}\n',
        line: 5,
      },
    ],
    good: [
      {
        path: 'infra/rds.tf',
        text:
          'resource "aws_db_instance" "main" {\n  engine              = "postgres"\n  instance_class      = "db.t4g.micro"\n' +
          '  allocated_storage   = 20\n  publicly_accessible = false\n}\n\n' +
          'resource "azurerm_mssql_firewall_rule" "azure_services" {\n  name             = "azure"\n  server_id        = azurerm_mssql_server.main.id\n' +
          '  start_ip_address = "0.0.0.0"\n  end_ip_address   = "0.0.0.0"\n}\n',
      },
    ],
  },
  reads: ['terraform'],
  check(doc, ctx) {
    if (doc.format === 'terraform') for (const e of terraformPublicDatabases(doc, ctx)) ctx.report(e);
  },
} satisfies Rule<TerraformDoc>;
