"""Cruddur (seed 003) end to end against the emulator, through inventories/cruddur and site.yml: the plan of the empty
account, ONE deploy (module-scoped) whose wiring the tests walk through the API - the uploads bucket's notifications
to the thumbnail function, the stream mapping on the messages table's stream, the WebSocket routes to their
functions, the backend task role's access to the messages table and nothing else, the pool and client IDs in the
backend's environment and the summary - then a second run that changes nothing and uploads no code, and the removal
with what it keeps listed."""

import json
import shutil

import pytest
import yaml

from emulator.harness import REPO_ROOT
from tests.integration.test_lambda_function import _code_uploads
from tests.integration.test_stores import code as _error

INVENTORY = "inventories/cruddur"
PREFIX = "dev-cruddur"
ACCOUNT = "123456789012"
TABLE = f"{PREFIX}-messages"
UPLOADS, ASSETS, SITE = f"{PREFIX}-uploads", f"{PREFIX}-assets-site", f"{PREFIX}-frontend-site"
TASK_ROLE = f"{PREFIX}-backend-task"
FUNCTIONS = ("presign", "thumbnail", "stream_processor", "ws_connect", "ws_disconnect", "ws_default")
API = f"{PREFIX}-messages"
POOL = f"{PREFIX}-users"
ZONE = "cruddur.example.com"
DENIED = "AccessDeniedException"
# How ECS assumes the task role (its trust policy requires this account and a task of the stack's cluster).
AS_TASK = {"principal": "ecs-tasks.amazonaws.com", "source_account": ACCOUNT,
           "source_arn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:task/{PREFIX}/0123456789abcdef"}


def _pool(emulator):
    pools = emulator.client("cognito-idp").list_user_pools(MaxResults=60)["UserPools"]
    return next((p for p in pools if p["Name"] == POOL), None)


@pytest.fixture(scope="module")
def runs(emulator):
    """The plan of the empty account, the deploy, the second run; the tests read the deploy, the last one removes it."""
    emulator.reset()
    out = {"plan": emulator.playbook("site.yml", "--check", inventory=INVENTORY)}
    out["deploy"] = emulator.playbook("site.yml", inventory=INVENTORY)
    assert out["deploy"].rc == 0, out["deploy"].output[-20000:]
    out["again"] = emulator.playbook("site.yml", inventory=INVENTORY)
    return out


def test_the_plan_of_the_empty_account_mutates_nothing(runs):
    plan = runs["plan"]
    assert plan.rc == 0, plan.output[-20000:]
    assert plan.mutating == []
    # The parts of issue 20 are in the plan (the plan callback's table).
    text = " ".join(plan.output.split())
    for row in (f"create user pool {POOL}", f"create app client {POOL}/web", f"create iam role {PREFIX}-thumbnail-lambda",
                f"create api gateway api {API}"):
        assert row in text, row


def test_the_uploads_bucket_notifies_the_thumbnail_function_for_original_avatars(runs, emulator):
    configuration = emulator.client("s3").get_bucket_notification_configuration(Bucket=UPLOADS)
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{PREFIX}-thumbnail"
    lambdas = sorted(configuration["LambdaFunctionConfigurations"], key=lambda c: c["Id"])
    assert {c["LambdaFunctionArn"] for c in lambdas} == {arn}
    assert [c["Events"] for c in lambdas] == [["s3:ObjectCreated:*"]] * 2
    rules = [{r["Name"].lower(): r["Value"] for r in c["Filter"]["Key"]["FilterRules"]} for c in lambdas]
    assert rules == [{"prefix": "avatars/original/", "suffix": ".jpg"}, {"prefix": "avatars/original/", "suffix": ".png"}]
    # S3 may invoke it, from this bucket only; the assets bucket notifies nothing.
    (statement,) = json.loads(emulator.client("lambda").get_policy(FunctionName=f"{PREFIX}-thumbnail")["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == f"arn:aws:s3:::{UPLOADS}"
    assert not emulator.client("s3").get_bucket_notification_configuration(Bucket=ASSETS).get("LambdaFunctionConfigurations")


def test_the_stream_mapping_is_enabled_on_the_messages_tables_stream(runs, emulator):
    table = emulator.client("dynamodb").describe_table(TableName=TABLE)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["message-group-sk-index"]
    lam = emulator.client("lambda")
    (mapping,) = lam.list_event_source_mappings(FunctionName=f"{PREFIX}-stream_processor")["EventSourceMappings"]
    assert mapping["EventSourceArn"] == table["LatestStreamArn"] and mapping["State"] == "Enabled"
    assert (mapping["BatchSize"], mapping["StartingPosition"]) == (1, "LATEST")
    for other in FUNCTIONS:
        if other != "stream_processor":
            assert lam.list_event_source_mappings(FunctionName=f"{PREFIX}-{other}")["EventSourceMappings"] == []


def test_the_websocket_routes_target_their_functions(runs, emulator):
    gateway = emulator.client("apigatewayv2")
    (api,) = [a for a in gateway.get_apis()["Items"] if a["Name"] == API]
    assert api["ProtocolType"] == "WEBSOCKET"
    integrations = {i["IntegrationId"]: i["IntegrationUri"] for i in gateway.get_integrations(ApiId=api["ApiId"])["Items"]}
    routes = {r["RouteKey"]: integrations[r["Target"].split("/", 1)[1]] for r in gateway.get_routes(ApiId=api["ApiId"])["Items"]}
    functions = {key: uri.split(":function:", 1)[1].split("/", 1)[0] for key, uri in routes.items()}
    assert functions == {"$connect": f"{PREFIX}-ws_connect", "$disconnect": f"{PREFIX}-ws_disconnect",
                         "$default": f"{PREFIX}-ws_default"}
    assert [s["StageName"] for s in gateway.get_stages(ApiId=api["ApiId"])["Items"]] == ["prod"]


def test_both_halves_live_under_the_domain_over_https(runs, emulator):
    """cruddur.example.com (and www) on the frontend's distribution, api.cruddur.example.com on the backend's, every
    certificate ISSUED, the backend's ALB on HTTPS 443, and the frontend's /api/* route reaching it https-only."""
    acm = emulator.client("acm")
    certificates = [acm.describe_certificate(CertificateArn=c["CertificateArn"])["Certificate"]
                    for c in acm.list_certificates()["CertificateSummaryList"]]
    # The distributions' (us-east-1) and the backend ALB's, whose name CloudFront reaches it by is origin.<its name>.
    assert {c["DomainName"] for c in certificates} == {ZONE, f"api.{ZONE}", f"origin.api.{ZONE}", f"assets.{ZONE}"}
    assert {c["Status"] for c in certificates} == {"ISSUED"}
    distributions = emulator.client("cloudfront").list_distributions()["DistributionList"]["Items"]
    aliases = {tuple(sorted(d["Aliases"].get("Items", []))): d for d in distributions}
    assert set(aliases) == {(ZONE, f"www.{ZONE}"), (f"api.{ZONE}",), (f"assets.{ZONE}",)}
    front = aliases[(ZONE, f"www.{ZONE}")]
    api_origins = [o for o in front["Origins"]["Items"] if o.get("CustomOriginConfig")]
    assert api_origins and all(o["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only" for o in api_origins)
    assert all(o["DomainName"].endswith(f"api.{ZONE}") for o in api_origins)
    elb = emulator.client("elbv2")
    (balancer,) = [b for b in elb.describe_load_balancers()["LoadBalancers"] if b["LoadBalancerName"].startswith(f"{PREFIX}-backend")]
    listeners = {lis["Port"]: lis for lis in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]}
    assert sorted(listeners) == [80, 443] and listeners[443]["Protocol"] == "HTTPS"
    (zone,) = [z for z in emulator.client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == ZONE + "."]
    records = {(r["Name"].rstrip("."), r["Type"])
               for r in emulator.client("route53").list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]}
    assert {(ZONE, "A"), (f"www.{ZONE}", "A"), (f"api.{ZONE}", "A"), (f"assets.{ZONE}", "A")} <= records


def test_the_assets_bucket_is_private_and_served_by_its_own_distribution_through_origin_access_control(runs, emulator):
    """The thumbnail function writes the processed avatars to the assets tier's bucket; CloudFront (and nothing else)
    reads it, on behalf of that tier's distribution only, at assets.cruddur.example.com."""
    distributions = emulator.client("cloudfront").list_distributions()["DistributionList"]["Items"]
    (assets,) = [d for d in distributions if d["Aliases"].get("Items") == [f"assets.{ZONE}"]]
    (origin,) = assets["Origins"]["Items"]
    assert origin["DomainName"].startswith(f"{ASSETS}.s3.") and origin["OriginAccessControlId"]
    assert origin.get("S3OriginConfig", {}).get("OriginAccessIdentity", "") == ""  # no legacy identity
    control = emulator.client("cloudfront").get_origin_access_control(Id=origin["OriginAccessControlId"])
    assert control["OriginAccessControl"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    assert assets.get("CustomErrorResponses", {}).get("Quantity", 0) == 0  # a missing image is a miss, not the app
    s3 = emulator.client("s3")
    block = s3.get_public_access_block(Bucket=ASSETS)["PublicAccessBlockConfiguration"]
    assert all(block.values()), block
    statements = json.loads(s3.get_bucket_policy(Bucket=ASSETS)["Policy"])["Statement"]
    readers = [s for s in statements if s["Effect"] == "Allow"]
    assert [(r["Principal"], r["Action"]) for r in readers] == [({"Service": "cloudfront.amazonaws.com"}, "s3:GetObject")]
    assert readers[0]["Condition"]["StringEquals"]["aws:SourceArn"] == assets["ARN"]
    # The thumbnail function may write there under avatars/processed/ only; the presign function may not at all.
    with emulator.iam_enforced():
        thumbnail = emulator.client_as_role("s3", f"{PREFIX}-thumbnail-lambda", principal="lambda.amazonaws.com",
                                            source_account=ACCOUNT)
        thumbnail.put_object(Bucket=ASSETS, Key="avatars/processed/a.jpg", Body=b"thumb")
        assert _error(thumbnail.put_object, Bucket=ASSETS, Key="index.html", Body=b"x") == "AccessDenied"
        presign = emulator.client_as_role("s3", f"{PREFIX}-presign-lambda", principal="lambda.amazonaws.com",
                                          source_account=ACCOUNT)
        assert _error(presign.put_object, Bucket=ASSETS, Key="avatars/processed/b.jpg", Body=b"x") == "AccessDenied"
    s3.delete_object(Bucket=ASSETS, Key="avatars/processed/a.jpg")


def test_the_backend_task_role_reads_and_writes_the_messages_table_and_nothing_else(runs, emulator):
    with emulator.iam_enforced() as admin:
        emulator.client_with(admin, "dynamodb").create_table(
            TableName=f"{PREFIX}-other", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        dynamodb = emulator.client_as_role("dynamodb", TASK_ROLE, **AS_TASK)
        item = {"pk": {"S": "MSG#group-1"}, "sk": {"S": "2026-12-05T18:00:00"}, "message": {"S": "hello"}}
        dynamodb.put_item(TableName=TABLE, Item=item)
        assert dynamodb.get_item(TableName=TABLE, Key={"pk": item["pk"], "sk": item["sk"]})["Item"] == item
        assert _error(dynamodb.delete_table, TableName=TABLE) == DENIED
        assert _error(dynamodb.put_item, TableName=f"{PREFIX}-other", Item={"pk": {"S": "x"}}) == DENIED
        s3 = emulator.client_as_role("s3", TASK_ROLE, **AS_TASK)
        for bucket in (UPLOADS, ASSETS, SITE):
            assert _error(s3.put_object, Bucket=bucket, Key="avatars/original/x.jpg", Body=b"x") == "AccessDenied", bucket
        secrets = emulator.client_as_role("secretsmanager", TASK_ROLE, **AS_TASK)
        assert _error(secrets.get_secret_value, SecretId=f"{PREFIX}-db-credentials") == DENIED
        sns = emulator.client_as_role("sns", TASK_ROLE, **AS_TASK)
        topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:{PREFIX}-processed-images"
        assert _error(sns.publish, TopicArn=topic, Message="x") in ("AuthorizationError", "AccessDenied", DENIED)
        emulator.client_with(admin, "dynamodb").delete_table(TableName=f"{PREFIX}-other")
    # ... and may send its traces to X-Ray (tracing: true), which X-Ray authorizes on no resource but "*".
    iam = emulator.client("iam")
    statements = [s for name in iam.list_role_policies(RoleName=TASK_ROLE)["PolicyNames"]
                  for s in iam.get_role_policy(RoleName=TASK_ROLE, PolicyName=name)["PolicyDocument"]["Statement"]]
    xray = [s for s in statements if s.get("Sid") == "SendTracesToXRay"]
    assert len(xray) == 1 and xray[0]["Resource"] == "*" and "xray:PutTraceSegments" in xray[0]["Action"]
    assert all(a.startswith("xray:") for a in xray[0]["Action"])
    assert [s for s in statements if s.get("Resource") == "*" and s is not xray[0]] == []


def test_the_backend_gets_the_pool_and_client_ids(runs, emulator):
    pool = _pool(emulator)
    assert pool, POOL
    (client,) = emulator.client("cognito-idp").list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    described = emulator.client("cognito-idp").describe_user_pool_client(UserPoolId=pool["Id"], ClientId=client["ClientId"])
    assert not described["UserPoolClient"].get("ClientSecret")  # the SPA's client has no secret
    ecs = emulator.client("ecs")
    service = ecs.describe_services(cluster=PREFIX, services=[f"{PREFIX}-backend"])["services"][0]
    definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    (container,) = definition["containerDefinitions"]
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["AWS_COGNITO_USER_POOL_ID"] == pool["Id"]
    assert environment["AWS_COGNITO_USER_POOL_CLIENT_ID"] == client["ClientId"]
    assert environment["DYNAMODB_TABLE"] == TABLE
    assert container["portMappings"][0]["containerPort"] == 4567
    assert definition["taskRoleArn"].endswith(f"role/{TASK_ROLE}")


def test_the_summary_says_where_everything_lives(runs, emulator):
    text = " ".join(runs["deploy"].output.split())
    pool = _pool(emulator)
    (client,) = emulator.client("cognito-idp").list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
    assert f"Cognito user pool {POOL} {pool['Id']}" in text and f"web {client['ClientId']}" in text
    (api,) = [a for a in emulator.client("apigatewayv2").get_apis()["Items"] if a["Name"] == API]
    assert api["ApiEndpoint"] in text
    assert "Tier frontend: static site https://" in text and "/api/* -> backend" in text
    assert "Tier backend: internet-facing ALB " in text
    assert f"https://{ZONE} (via CloudFront, from the site bucket)" in text
    assert f"https://api.{ZONE} (via CloudFront, then HTTPS to " in text
    assert f"S3 bucket {UPLOADS}" in text
    assert f"Tier assets: static site https://assets.{ZONE} (bucket {ASSETS}, read by CloudFront only)" in text
    for name in FUNCTIONS:
        assert f"Lambda function {PREFIX}-{name} " in text


def test_a_second_run_changes_nothing_and_uploads_no_code(runs):
    again = runs["again"]
    assert again.rc == 0, again.output[-20000:]
    assert again.changed == 0, again.output[-20000:]
    assert again.mutating == []
    assert _code_uploads(again) == []
    # A whole run finds the stack's distributions by its tags (playbooks/orphans.yml): each tier's (the backend's and
    # the two static sites') is read by its id, never looked for among all of them (ListDistributions).
    cloudfront = [r["action"] for r in again.requests if r["service"] == "cloudfront"]
    assert "GET /2020-05-31/distribution" not in cloudfront, cloudfront
    assert len([a for a in cloudfront if a.startswith("GET /2020-05-31/distribution/")]) >= 3, cloudfront


def test_destroy_removes_everything_but_what_it_lists_as_kept(runs, emulator):
    down = emulator.playbook("playbooks/teardown.yml", inventory=INVENTORY)
    assert down.rc == 0, down.output[-20000:]
    lam = emulator.client("lambda")
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    assert [n for n in names if n.startswith(PREFIX)] == []
    assert lam.list_event_source_mappings()["EventSourceMappings"] == []
    assert [a for a in emulator.client("apigatewayv2").get_apis()["Items"] if a["Name"] == API] == []
    assert _pool(emulator) is None  # dev: no deletion protection
    roles = [r["RoleName"] for r in emulator.client("iam").list_roles()["Roles"]]
    assert [r for r in roles if r.startswith(f"{PREFIX}-") and (r.endswith("-lambda") or r == TASK_ROLE)] == []
    clusters = emulator.client("ecs").describe_clusters(clusters=[PREFIX])["clusters"]
    assert [c for c in clusters if c["status"] == "ACTIVE"] == []
    # Empty stores go; the static tiers' buckets (the site, the images) and the data stores are kept, and the teardown
    # says so.
    buckets = [b["Name"] for b in emulator.client("s3").list_buckets()["Buckets"]]
    assert UPLOADS not in buckets
    text = " ".join(down.output.split())
    for bucket in (SITE, ASSETS):
        assert bucket in buckets and f"S3 bucket {bucket}" in text
    assert TABLE in emulator.client("dynamodb").list_tables()["TableNames"] and TABLE in text
    for name in FUNCTIONS:
        assert f"/aws/lambda/{PREFIX}-{name}" in text  # the functions' log groups, kept
    # The domain: its certificates and records go, and the zone the stack created with them.
    assert emulator.client("acm").list_certificates()["CertificateSummaryList"] == []
    assert [z for z in emulator.client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == ZONE + "."] == []


def test_bad_serverless_input_fails_before_any_aws_call(emulator, tmp_path):
    """A function without its handler file, a notification prefix overlapping another of the bucket, a stream mapping
    on a table without a stream and a route to an undeclared function: playbooks/checks.yml names them before the
    network layer's first call (the inventory copied, its shared defaults linked)."""
    inventory = tmp_path / "cruddur"
    shutil.copytree(REPO_ROOT / INVENTORY, inventory, symlinks=False)
    (inventory / "functions" / "presign" / "app.py").unlink()
    data = yaml.safe_load((inventory / "group_vars" / "atelier.yml").read_text(encoding="utf-8"))
    data["atelier_functions"].append({"name": "resize", "source": "functions/thumbnail", "handler": "app.handler",
                                      "events": [{"s3": {"bucket": "uploads", "prefix": "avatars/"}}]})
    data["atelier_functions"].append({"name": "audit", "source": "functions/stream_processor", "handler": "app.handler",
                                      "events": [{"dynamodb_stream": {"table": "messages"}}]})
    run = emulator.playbook("site.yml", inventory=str(inventory), extra_vars={"atelier_functions": data["atelier_functions"],
                                                                              "dynamodb_global_stream_view_type": ""})
    assert run.rc != 0
    text = " ".join(run.output.split())
    assert "handler app.handler needs app.py" in text and "presign" in text
    assert "of the bucket uploads overlap" in text
    assert "(dynamodb_stream messages): the table messages has no stream" in text
    assert run.requests == []
    routes = emulator.playbook("site.yml", inventory=str(inventory), extra_vars={
        "atelier_websocket_apis": [{"name": "messages", "routes": [{"key": "$connect", "function": "nothere"}]}],
        "atelier_functions": data["atelier_functions"][1:6]})
    assert routes.rc != 0 and "function nothere is not declared" in " ".join(routes.output.split())
    assert routes.requests == []
