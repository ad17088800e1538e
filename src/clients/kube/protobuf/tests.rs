use super::*;
use futures::AsyncBufRead;

/// runtime.TypeMeta, for the envelopes written here.
#[derive(Clone, PartialEq, prost::Message)]
struct TypeMeta {
    #[prost(string, optional, tag = "1")]
    api_version: Option<String>,
    #[prost(string, optional, tag = "2")]
    kind: Option<String>,
}

/// runtime.Unknown with every field, as the API server writes it.
#[derive(Clone, PartialEq, prost::Message)]
struct Envelope {
    #[prost(message, optional, tag = "1")]
    type_meta: Option<TypeMeta>,
    #[prost(bytes = "vec", optional, tag = "2")]
    raw: Option<Vec<u8>>,
    #[prost(string, optional, tag = "3")]
    content_encoding: Option<String>,
    #[prost(string, optional, tag = "4")]
    content_type: Option<String>,
}

/// core/v1 PodList.
#[derive(Clone, PartialEq, prost::Message)]
struct PodList {
    #[prost(message, optional, tag = "1")]
    metadata: Option<messages::ListMeta>,
    #[prost(message, repeated, tag = "2")]
    items: Vec<messages::Pod>,
    /// Not a field of PodList: one a newer server might add, to be skipped.
    #[prost(int64, optional, tag = "9")]
    unknown: Option<i64>,
}

fn pod(name: &str) -> messages::Pod {
    messages::Pod {
        metadata: Some(messages::ObjectMeta {
            name: Some(name.into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn answer_of(list: &PodList) -> Vec<u8> {
    let envelope = Envelope {
        type_meta: Some(TypeMeta {
            api_version: Some("v1".into()),
            kind: Some("PodList".into()),
        }),
        raw: Some(list.encode_to_vec()),
        content_encoding: Some(String::new()),
        content_type: Some(String::new()),
    };
    let mut bytes = MAGIC.to_vec();
    bytes.extend(envelope.encode_to_vec());
    bytes
}

/// `bytes` as an answer arriving `chunk` bytes at a time.
fn answer(bytes: &[u8], chunk: usize) -> impl AsyncBufRead + Unpin {
    let chunks: Vec<std::io::Result<Vec<u8>>> =
        bytes.chunks(chunk).map(|c| Ok(c.to_vec())).collect();
    futures::TryStreamExt::into_async_read(futures::stream::iter(chunks))
}

async fn names(bytes: &[u8], chunk: usize) -> Result<(Vec<String>, Option<String>), ReadError> {
    let mut names = Vec::new();
    let token = read_list(answer(bytes, chunk), |item| {
        let p = messages::Pod::decode(item).map_err(|e| ReadError::Invalid(e.to_string()))?;
        names.push(p.metadata.and_then(|m| m.name).unwrap_or_default());
        Ok(())
    })
    .await?;
    Ok((names, token))
}

#[tokio::test]
async fn a_list_is_read_item_by_item_whatever_its_pieces_with_its_token() {
    let list = PodList {
        metadata: Some(messages::ListMeta {
            r#continue: Some("next".into()),
        }),
        items: (0..300).map(|i| pod(&format!("backend-{i}"))).collect(),
        unknown: Some(7),
    };
    let bytes = answer_of(&list);
    let expected: Vec<String> = (0..300).map(|i| format!("backend-{i}")).collect();
    for chunk in [1, 2, 3, 7, 64, 4096, bytes.len()] {
        let (got, token) = names(&bytes, chunk).await.unwrap();
        assert_eq!(got, expected, "chunk {chunk}");
        assert_eq!(token.as_deref(), Some("next"), "chunk {chunk}");
    }
    // The last page: no token (or an empty one); an empty list: no items.
    let last = PodList {
        metadata: Some(messages::ListMeta {
            r#continue: Some(String::new()),
        }),
        items: vec![pod("a")],
        unknown: None,
    };
    assert_eq!(
        names(&answer_of(&last), 5).await.unwrap(),
        (vec!["a".to_string()], None)
    );
    assert_eq!(
        names(&answer_of(&PodList::default()), 5).await.unwrap(),
        (vec![], None)
    );
}

#[tokio::test]
async fn what_is_not_a_whole_protobuf_list_is_refused_never_half_read() {
    let bytes = answer_of(&PodList {
        metadata: None,
        items: vec![pod("a"), pod("b")],
        unknown: None,
    });
    // Cut anywhere before the list's end: an error, never a shorter list taken for the
    // whole. (The envelope's last 4 bytes, two empty encodings after the list, say nothing.)
    for cut in 0..bytes.len() - 4 {
        let result = names(&bytes[..cut], 3).await;
        assert!(
            matches!(result, Err(ReadError::Invalid(_))),
            "cut at {cut}: {result:?}"
        );
    }
    // JSON, or a magic of another version.
    for wrong in [&b"{\"items\": []}"[..], b"k8s\x01\x12\x00", b""] {
        assert!(matches!(names(wrong, 4).await, Err(ReadError::Invalid(_))));
    }
    // An item said to be 1 TiB (in a list of 2 TiB) is refused at its length, not allocated;
    // one longer than its list, too.
    let mut huge = MAGIC.to_vec();
    huge.extend([0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    huge.extend([0x12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    let result = names(&huge, 4096).await;
    let Err(ReadError::Invalid(why)) = result else {
        panic!("{result:?}")
    };
    assert!(why.contains("at most"), "{why}");
    let mut overrun = MAGIC.to_vec();
    overrun.extend([0x12, 0x04, 0x12, 0x05, 0, 0]);
    let result = names(&overrun, 4096).await;
    let Err(ReadError::Invalid(why)) = result else {
        panic!("{result:?}")
    };
    assert!(why.contains("longer than its list"), "{why}");
}

#[tokio::test]
async fn a_failed_read_is_a_read_error() {
    let failing = futures::TryStreamExt::into_async_read(futures::stream::iter(vec![
        Ok(MAGIC.to_vec()),
        Err(std::io::Error::other("connection reset")),
    ]));
    let result = read_list(failing, |_| Ok(())).await;
    assert!(matches!(result, Err(ReadError::Read(_))), "{result:?}");
    let e: kube::Error = ReadError::Invalid("x".into()).into();
    assert!(matches!(e, kube::Error::SerdeError(_)));
}

#[test]
fn an_error_answer_in_protobuf_is_its_status() {
    let status = messages::Status {
        status: Some("Failure".into()),
        message: Some("pods is forbidden".into()),
        reason: Some("Forbidden".into()),
        code: Some(403),
    };
    let mut bytes = MAGIC.to_vec();
    bytes.extend(
        Envelope {
            raw: Some(status.encode_to_vec()),
            ..Default::default()
        }
        .encode_to_vec(),
    );
    let s = super::status(&bytes).unwrap();
    assert_eq!((s.code, s.reason.as_str()), (403, "Forbidden"));
    assert_eq!(s.message, "pods is forbidden");
    assert!(s.is_failure());
    assert!(super::status(b"{\"kind\": \"Status\"}").is_none());
}
