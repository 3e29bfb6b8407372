//! The artifact bucket: content-addressed trigger zips (and templates too large to send
//! inline), uploaded only when absent. Without an
//! explicit bucket the driver uses (or creates) `poolctl-artifacts-<account>-<region>`: public
//! access blocked, SSE-S3 encryption, a TLS-only policy, old artifacts expired. Every call
//! names the expected bucket owner, so a bucket of the same name in another account is never
//! written to.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, BucketLocationConstraint,
    CreateBucketConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule,
    LifecycleRuleFilter, PublicAccessBlockConfiguration, ServerSideEncryption,
    ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
};

use crate::error::DeployError;
use aws::Aws;

/// Days an artifact stays. Lambda copies the code when a function is created or updated, so
/// an expired zip only matters to a rollback to a template older than this.
pub const ARTIFACT_RETENTION_DAYS: i32 = 90;

/// Where a trigger zip lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactLocation {
    pub bucket: String,
    pub key: String,
    /// False when an object with this key (the same content) was already there.
    pub uploaded: bool,
}

impl ArtifactLocation {
    /// The object's path-style HTTPS URL, the form CloudFormation's `TemplateURL` takes in every
    /// region (and the one local emulators resolve).
    pub fn https_url(&self, region: &str) -> String {
        format!(
            "https://s3.{region}.amazonaws.com/{}/{}",
            self.bucket, self.key
        )
    }
}

/// The default bucket name for an account and region.
pub fn default_bucket(account: &str, region: &str) -> String {
    format!("poolctl-artifacts-{account}-{region}")
}

/// The bucket policy that refuses every request not made over TLS.
pub fn tls_only_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
            "Condition": { "Bool": { "aws:SecureTransport": "false" } }
        }]
    })
    .to_string()
}

fn is_not_found(code: Option<&str>) -> bool {
    matches!(
        code,
        Some("NotFound" | "NoSuchBucket" | "NoSuchKey" | "404")
    )
}

/// The artifact bucket, on the AWS context's S3 client.
pub(crate) trait ArtifactStore {
    async fn upload_artifact(
        &self,
        zip: Vec<u8>,
        key: &str,
        bucket: Option<&str>,
    ) -> Result<ArtifactLocation, DeployError>;
    async fn upload_object(
        &self,
        body: Vec<u8>,
        content_type: &str,
        key: &str,
        bucket: Option<&str>,
    ) -> Result<ArtifactLocation, DeployError>;
    async fn artifact_location(
        &self,
        key: &str,
        bucket: Option<&str>,
    ) -> Result<ArtifactLocation, DeployError>;
    async fn ensure_default_bucket(&self, bucket: &str, owner: &str) -> Result<(), DeployError>;
}

impl ArtifactStore for Aws {
    /// Uploads `zip` to `bucket` (default: the account's artifact bucket, created when
    /// missing) under `key`, unless an object with that key exists. Keys carry the content
    /// hash, so an existing key means the same bytes.
    async fn upload_artifact(
        &self,
        zip: Vec<u8>,
        key: &str,
        bucket: Option<&str>,
    ) -> Result<ArtifactLocation, DeployError> {
        self.upload_object(zip, "application/zip", key, bucket)
            .await
    }

    /// Uploads `body` as [`ArtifactStore::upload_artifact`] does, with its content type; `key` must
    /// name the content (carry its hash).
    async fn upload_object(
        &self,
        body: Vec<u8>,
        content_type: &str,
        key: &str,
        bucket: Option<&str>,
    ) -> Result<ArtifactLocation, DeployError> {
        let owner = self.account_id().await?;
        let (bucket, is_default) = match bucket {
            Some(bucket) => (bucket.to_owned(), false),
            None => (default_bucket(&owner, &self.region), true),
        };
        // The common case first: the artifact is there already (one call, no bucket checks).
        let head = self
            .s3
            .head_object()
            .bucket(&bucket)
            .key(key)
            .expected_bucket_owner(&owner)
            .send()
            .await;
        match head {
            Ok(_) => {
                return Ok(ArtifactLocation {
                    bucket,
                    key: key.to_owned(),
                    uploaded: false,
                })
            }
            Err(error) => {
                let error = DeployError::aws("s3:HeadObject", error);
                if !is_not_found(error.aws_code()) {
                    return Err(error);
                }
            }
        }
        if is_default {
            self.ensure_default_bucket(&bucket, &owner).await?;
        }
        self.s3
            .put_object()
            .bucket(&bucket)
            .key(key)
            .expected_bucket_owner(&owner)
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(|e| DeployError::aws("s3:PutObject", e))?;
        Ok(ArtifactLocation {
            bucket,
            key: key.to_owned(),
            uploaded: true,
        })
    }

    /// Where an artifact with `key` would be, without touching S3 (for `diff`).
    async fn artifact_location(
        &self,
        key: &str,
        bucket: Option<&str>,
    ) -> Result<ArtifactLocation, DeployError> {
        let bucket = match bucket {
            Some(bucket) => bucket.to_owned(),
            None => default_bucket(&self.account_id().await?, &self.region),
        };
        Ok(ArtifactLocation {
            bucket,
            key: key.to_owned(),
            uploaded: false,
        })
    }

    /// Creates and configures the default bucket unless it exists. Many CI jobs may start at
    /// once: "already owned by you" is success, and each setting is an idempotent put.
    async fn ensure_default_bucket(&self, bucket: &str, owner: &str) -> Result<(), DeployError> {
        match self
            .s3
            .head_bucket()
            .bucket(bucket)
            .expected_bucket_owner(owner)
            .send()
            .await
        {
            Ok(_) => return Ok(()),
            Err(error) => {
                let error = DeployError::aws("s3:HeadBucket", error);
                match error.aws_code() {
                    code if is_not_found(code) => {}
                    Some("Forbidden" | "403" | "AccessDenied") => {
                        return Err(DeployError::Artifact(format!(
                            "bucket {bucket} exists but is not accessible as account {owner} (another \
                             account may own it); pass --artifact-bucket with a bucket of yours"
                        )))
                    }
                    _ => return Err(error),
                }
            }
        }
        let mut create = self.s3.create_bucket().bucket(bucket);
        // us-east-1 is the one region that takes no location constraint.
        if self.region != "us-east-1" {
            create = create.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(self.region.as_str()))
                    .build(),
            );
        }
        if let Err(error) = create.send().await {
            let error = DeployError::aws("s3:CreateBucket", error);
            if error.aws_code() != Some("BucketAlreadyOwnedByYou") {
                return Err(error);
            }
        }
        self.s3
            .put_public_access_block()
            .bucket(bucket)
            .expected_bucket_owner(owner)
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::builder()
                    .block_public_acls(true)
                    .ignore_public_acls(true)
                    .block_public_policy(true)
                    .restrict_public_buckets(true)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| DeployError::aws("s3:PutPublicAccessBlock", e))?;
        let sse_default = ServerSideEncryptionByDefault::builder()
            .sse_algorithm(ServerSideEncryption::Aes256)
            .build()
            .map_err(|e| DeployError::Unexpected(e.to_string()))?;
        let sse = ServerSideEncryptionConfiguration::builder()
            .rules(
                ServerSideEncryptionRule::builder()
                    .apply_server_side_encryption_by_default(sse_default)
                    .build(),
            )
            .build()
            .map_err(|e| DeployError::Unexpected(e.to_string()))?;
        self.s3
            .put_bucket_encryption()
            .bucket(bucket)
            .expected_bucket_owner(owner)
            .server_side_encryption_configuration(sse)
            .send()
            .await
            .map_err(|e| DeployError::aws("s3:PutBucketEncryption", e))?;
        self.s3
            .put_bucket_policy()
            .bucket(bucket)
            .expected_bucket_owner(owner)
            .policy(tls_only_policy(bucket))
            .send()
            .await
            .map_err(|e| DeployError::aws("s3:PutBucketPolicy", e))?;
        let rule = LifecycleRule::builder()
            .id("expire-old-artifacts")
            .status(ExpirationStatus::Enabled)
            .filter(LifecycleRuleFilter::builder().prefix("").build())
            .expiration(
                LifecycleExpiration::builder()
                    .days(ARTIFACT_RETENTION_DAYS)
                    .build(),
            )
            .abort_incomplete_multipart_upload(
                AbortIncompleteMultipartUpload::builder()
                    .days_after_initiation(1)
                    .build(),
            )
            .build()
            .map_err(|e| DeployError::Unexpected(e.to_string()))?;
        let lifecycle = BucketLifecycleConfiguration::builder()
            .rules(rule)
            .build()
            .map_err(|e| DeployError::Unexpected(e.to_string()))?;
        self.s3
            .put_bucket_lifecycle_configuration()
            .bucket(bucket)
            .expected_bucket_owner(owner)
            .lifecycle_configuration(lifecycle)
            .send()
            .await
            .map_err(|e| DeployError::aws("s3:PutBucketLifecycleConfiguration", e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bucket_names_carry_account_and_region() {
        assert_eq!(
            default_bucket("123456789012", "eu-west-1"),
            "poolctl-artifacts-123456789012-eu-west-1"
        );
    }

    #[test]
    fn the_policy_denies_plain_http_on_bucket_and_objects() {
        let policy: serde_json::Value = serde_json::from_str(&tls_only_policy("b")).unwrap();
        let statement = &policy["Statement"][0];
        assert_eq!(statement["Effect"], "Deny");
        assert_eq!(
            statement["Condition"]["Bool"]["aws:SecureTransport"],
            "false"
        );
        assert_eq!(
            statement["Resource"],
            serde_json::json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"])
        );
    }
}
