// The local stack: kinesalite, DynamoDB Local, fauxqs, OpenSearch.
