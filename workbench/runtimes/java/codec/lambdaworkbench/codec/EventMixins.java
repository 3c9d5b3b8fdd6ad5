package lambdaworkbench.codec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** The JSON names Lambda's Java runtime fixes on aws-lambda-java-events types whose bean names differ from the
 * events' own (aws-lambda-java-serialization 1.4.0, events/mixins). Jackson matches a mix-in method to the
 * event's method by name and parameter types, so each accessor below carries exactly the signature Lambda's
 * does: where an event's setter takes another type (AttributeValue.setSS(Collection)), Lambda's name does
 * not reach it either, and standard bean naming decides. */
final class EventMixins {
    private EventMixins() {
    }

    /** "Records", not "records" (SQS, SNS, DynamoDB, Kinesis, CodeCommit, CloudFront). */
    abstract static class Records {
        @JsonProperty("Records") abstract List<?> getRecords();
        @JsonProperty("Records") abstract void setRecords(List<?> records);
    }

    abstract static class SqsMessage {
        @JsonProperty("eventSourceARN") abstract String getEventSourceArn();
        @JsonProperty("eventSourceARN") abstract void setEventSourceArn(String arn);
    }

    abstract static class SnsRecord {
        @JsonProperty("Sns") abstract Object getSNS();
        @JsonProperty("Sns") abstract void setSns(Object sns);
    }

    abstract static class DynamodbStreamRecord {
        @JsonProperty("eventName") abstract String getEventName();
        @JsonProperty("eventName") abstract void setEventName(String name);
        @JsonProperty("eventSourceARN") abstract String getEventSourceArn();
        @JsonProperty("eventSourceARN") abstract void setEventSourceArn(String arn);
    }

    /** DynamodbTimeWindowEvent and KinesisTimeWindowEvent: their records and their own eventSourceARN. */
    abstract static class TimeWindow extends Records {
        @JsonProperty("eventSourceARN") abstract String getEventSourceArn();
        @JsonProperty("eventSourceARN") abstract void setEventSourceArn(String arn);
    }

    abstract static class StreamRecord {
        @JsonProperty("Keys") abstract Map<String, ?> getKeys();
        @JsonProperty("Keys") abstract void setKeys(Map<String, ?> keys);
        @JsonProperty("SizeBytes") abstract Long getSizeBytes();
        @JsonProperty("SizeBytes") abstract void setSizeBytes(Long size);
        @JsonProperty("SequenceNumber") abstract String getSequenceNumber();
        @JsonProperty("SequenceNumber") abstract void setSequenceNumber(String number);
        @JsonProperty("StreamViewType") abstract String getStreamViewType();
        @JsonProperty("StreamViewType") abstract void setStreamViewType(String type);
        @JsonProperty("NewImage") abstract Map<String, ?> getNewImage();
        @JsonProperty("NewImage") abstract void setNewImage(Map<String, ?> image);
        @JsonProperty("OldImage") abstract Map<String, ?> getOldImage();
        @JsonProperty("OldImage") abstract void setOldImage(Map<String, ?> image);
        @JsonProperty("ApproximateCreationDateTime") abstract Date getApproximateCreationDateTime();
        @JsonProperty("ApproximateCreationDateTime") abstract void setApproximateCreationDateTime(Date time);
    }

    abstract static class AttributeValue {
        @JsonProperty("S") abstract String getS();
        @JsonProperty("S") abstract void setS(String value);
        @JsonProperty("N") abstract String getN();
        @JsonProperty("N") abstract void setN(String value);
        @JsonProperty("B") abstract ByteBuffer getB();
        @JsonProperty("B") abstract void setB(ByteBuffer value);
        @JsonProperty("NULL") abstract Boolean isNULL();
        @JsonProperty("NULL") abstract void setNULL(Boolean value);
        @JsonProperty("BOOL") abstract Boolean getBOOL();
        @JsonProperty("BOOL") abstract void setBOOL(Boolean value);
        @JsonProperty("SS") abstract List<String> getSS();
        @JsonProperty("SS") abstract void setSS(List<String> value);
        @JsonProperty("NS") abstract List<String> getNS();
        @JsonProperty("NS") abstract void setNS(List<String> value);
        @JsonProperty("BS") abstract List<String> getBS();
        @JsonProperty("BS") abstract void setBS(List<String> value);
        @JsonProperty("M") abstract Map<String, ?> getM();
        @JsonProperty("M") abstract void setM(Map<String, ?> value);
        @JsonProperty("L") abstract List<?> getL();
        @JsonProperty("L") abstract void setL(List<?> value);
    }

    abstract static class KinesisRecord {
        @JsonProperty("encryptionType") abstract String getEncryptionType();
        @JsonProperty("encryptionType") abstract void setEncryptionType(String type);
    }

    abstract static class Scheduled {
        @JsonProperty("detail-type") abstract String getDetailType();
        @JsonProperty("detail-type") abstract void setDetailType(String type);
    }

    abstract static class SecretsManagerRotation {
        @JsonProperty("Step") abstract String getStep();
        @JsonProperty("Step") abstract void setStep(String step);
        @JsonProperty("SecretId") abstract String getSecretId();
        @JsonProperty("SecretId") abstract void setSecretId(String id);
        @JsonProperty("ClientRequestToken") abstract String getClientRequestToken();
        @JsonProperty("ClientRequestToken") abstract void setClientRequestToken(String token);
        @JsonProperty("RotationToken") abstract String getRotationToken();
        @JsonProperty("RotationToken") abstract void setRotationToken(String token);
    }

    abstract static class CustomResource {
        @JsonProperty("RequestType") abstract String getRequestType();
        @JsonProperty("RequestType") abstract void setRequestType(String value);
        @JsonProperty("ServiceToken") abstract String getServiceToken();
        @JsonProperty("ServiceToken") abstract void setServiceToken(String value);
        @JsonProperty("PhysicalResourceId") abstract String getPhysicalResourceId();
        @JsonProperty("PhysicalResourceId") abstract void setPhysicalResourceId(String value);
        @JsonProperty("ResponseURL") abstract String getResponseUrl();
        @JsonProperty("ResponseURL") abstract void setResponseUrl(String value);
        @JsonProperty("StackId") abstract String getStackId();
        @JsonProperty("StackId") abstract void setStackId(String value);
        @JsonProperty("RequestId") abstract String getRequestId();
        @JsonProperty("RequestId") abstract void setRequestId(String value);
        @JsonProperty("LogicalResourceId") abstract String getLogicalResourceId();
        @JsonProperty("LogicalResourceId") abstract void setLogicalResourceId(String value);
        @JsonProperty("ResourceType") abstract String getResourceType();
        @JsonProperty("ResourceType") abstract void setResourceType(String value);
        @JsonProperty("ResourceProperties") abstract Map<String, Object> getResourceProperties();
        @JsonProperty("ResourceProperties") abstract void setResourceProperties(Map<String, Object> value);
        @JsonProperty("OldResourceProperties") abstract Map<String, Object> getOldResourceProperties();
        @JsonProperty("OldResourceProperties") abstract void setOldResourceProperties(Map<String, Object> value);
    }

    abstract static class CloudWatchLogs {
        @JsonProperty("awslogs") abstract Object getAwsLogs();
        @JsonProperty("awslogs") abstract void setAwsLogs(Object logs);
    }

    abstract static class CodeCommitRecord {
        @JsonProperty("codecommit") abstract Object getCodeCommit();
        @JsonProperty("codecommit") abstract void setCodeCommit(Object value);
        @JsonProperty("eventSourceARN") abstract String getEventSourceArn();
        @JsonProperty("eventSourceARN") abstract void setEventSourceArn(String arn);
        @JsonProperty("userIdentityARN") abstract String getUserIdentityArn();
        @JsonProperty("userIdentityARN") abstract void setUserIdentityArn(String arn);
    }

    abstract static class Connect {
        @JsonProperty("Details") abstract Map<String, ?> getDetails();
        @JsonProperty("Details") abstract void setDetails(Map<String, ?> details);
        @JsonProperty("Name") abstract String getName();
        @JsonProperty("Name") abstract void setName(String name);
    }

    abstract static class ConnectDetails {
        @JsonProperty("ContactData") abstract Map<String, ?> getContactData();
        @JsonProperty("ContactData") abstract void setContactData(Map<String, ?> data);
        @JsonProperty("Parameters") abstract Map<String, Object> getParameters();
        @JsonProperty("Parameters") abstract void setParameters(Map<String, Object> parameters);
    }

    abstract static class ConnectContactData {
        @JsonProperty("Attributes") abstract Map<String, String> getAttributes();
        @JsonProperty("Attributes") abstract void setAttributes(Map<String, String> value);
        @JsonProperty("Channel") abstract String getChannel();
        @JsonProperty("Channel") abstract void setChannel(String value);
        @JsonProperty("ContactId") abstract String getContactId();
        @JsonProperty("ContactId") abstract void setContactId(String value);
        @JsonProperty("CustomerEndpoint") abstract Map<String, String> getCustomerEndpoint();
        @JsonProperty("CustomerEndpoint") abstract void setCustomerEndpoint(Map<String, String> value);
        @JsonProperty("InitialContactId") abstract String getInitialContactId();
        @JsonProperty("InitialContactId") abstract void setInitialContactId(String value);
        @JsonProperty("InitiationMethod") abstract String getInitiationMethod();
        @JsonProperty("InitiationMethod") abstract void setInitiationMethod(String value);
        @JsonProperty("InstanceARN") abstract String getInstanceArn();
        @JsonProperty("InstanceARN") abstract void setInstanceArn(String value);
        @JsonProperty("PreviousContactId") abstract String getPreviousContactId();
        @JsonProperty("PreviousContactId") abstract void setPreviousContactId(String value);
        @JsonProperty("Queue") abstract Map<String, String> getQueue();
        @JsonProperty("Queue") abstract void setQueue(Map<String, String> value);
        @JsonProperty("SystemEndpoint") abstract Map<String, String> getSystemEndpoint();
        @JsonProperty("SystemEndpoint") abstract void setSystemEndpoint(Map<String, String> value);
    }

    /** ConnectEvent's CustomerEndpoint and SystemEndpoint. */
    abstract static class ConnectEndpoint {
        @JsonProperty("Address") abstract String getAddress();
        @JsonProperty("Address") abstract void setAddress(String value);
        @JsonProperty("Type") abstract String getType();
        @JsonProperty("Type") abstract void setType(String value);
    }

    abstract static class ConnectQueue {
        @JsonProperty("Name") abstract String getName();
        @JsonProperty("Name") abstract void setName(String name);
    }
}
